"""The application layer: the use cases both interfaces call (the command line in ``prongsai.cli``,
the web application), as plain functions over the core. It never imports click, Django, a database
driver or the network, and never prints: what a person should be told comes back as notes
(tests/test_layers.py)."""
