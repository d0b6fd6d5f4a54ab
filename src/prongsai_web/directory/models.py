"""The agencies the application knows (reference data)."""

from __future__ import annotations

from django.db import models

from prongsai.agency import Agency as CoreAgency
from prongsai.agency import Words, words_for


class Agency(models.Model):
    name = models.CharField("ชื่อหน่วยงาน", max_length=200)
    type = models.CharField("ประเภท", max_length=100, blank=True)
    province = models.CharField("จังหวัด", max_length=100, blank=True, db_index=True)
    district = models.CharField("อำเภอ", max_length=100, blank=True)
    department = models.CharField("สังกัด", max_length=200, blank=True, db_index=True)
    code = models.CharField("รหัสหน่วยงาน", max_length=50, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["province", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "district", "province"], name="agency_name_place"),
        ]

    def __str__(self) -> str:
        return self.name

    def core(self) -> CoreAgency:
        """The agency as the core names it in results and plans."""
        return CoreAgency(self.name, self.type or None, self.district or None, self.province or None)

    @property
    def words(self) -> Words:
        return words_for(self.type or None, self.name)
