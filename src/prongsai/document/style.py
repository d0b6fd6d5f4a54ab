"""Page and type settings for every renderer, read from ``document/style.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from prongsai.document.model import ParagraphStyle
from prongsai.errors import DataFileError

SizeName = ParagraphStyle | Literal["table", "footer"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Margins(_Strict):
    top: float
    bottom: float
    left: float
    right: float


class _Page(_Strict):
    size_cm: tuple[float, float]
    margins_cm: Margins
    landscape_margins_cm: Margins


class _Sizes(_Strict):
    title: float
    subtitle: float
    heading1: float
    heading2: float
    body: float
    note: float
    caption: float
    table: float
    footer: float


class _Docx(_Strict):
    family: str
    scale: float
    justify: Literal["both", "thaiDistribute"]


class _Rendered(_Strict):
    family: str
    scale: float
    scale_confirmed: bool
    line_height: float


class _StyleSpec(_Strict):
    schema_version: Literal[1]
    page: _Page
    sizes_pt: _Sizes
    docx: _Docx
    rendered: _Rendered


@dataclass(frozen=True)
class Style:
    page_cm: tuple[float, float]
    margins: Margins
    landscape_margins: Margins
    sizes: _Sizes
    docx_family: str
    docx_scale: float
    docx_justify: Literal["both", "thaiDistribute"]
    family: str  # the font HTML, PDF and charts use
    scale: float
    line_height: float

    def docx_pt(self, name: SizeName) -> float:
        return float(getattr(self.sizes, name)) * self.docx_scale

    def rendered_pt(self, name: SizeName) -> float:
        return round(float(getattr(self.sizes, name)) * self.scale, 2)


@cache
def style() -> Style:
    text = (resources.files("prongsai") / "document" / "style.yaml").read_text("utf-8")
    try:
        spec = _StyleSpec.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise DataFileError(
            "document/style.yaml", [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        ) from exc
    return Style(
        page_cm=spec.page.size_cm,
        margins=spec.page.margins_cm,
        landscape_margins=spec.page.landscape_margins_cm,
        sizes=spec.sizes_pt,
        docx_family=spec.docx.family,
        docx_scale=spec.docx.scale,
        docx_justify=spec.docx.justify,
        family=spec.rendered.family,
        scale=spec.rendered.scale,
        line_height=spec.rendered.line_height,
    )


def font_files() -> dict[str, Path]:
    """The vendored Sarabun files by weight/style: regular, bold, italic, bolditalic."""
    folder = Path(str(resources.files("prongsai") / "document" / "fonts"))
    names = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}
    return {key: folder / f"Sarabun-{name}.ttf" for key, name in names.items()}
