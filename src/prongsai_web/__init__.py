"""The prongsai web application (issue 15): a Django shell over prongsai's application layer
(``prongsai.app``). The core never imports this package (tests/test_layers.py); this package stores what
people do (agencies, users and roles, uploaded results, plans, audit events) and asks the core for
everything it computes. See docs/web.md."""
