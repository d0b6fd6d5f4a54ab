"""Where untrusted bytes become data: the one hardened loader every command reads its files through.

Every reader here has limits on size, nesting, expansion and time (:mod:`prongsai.loader.limits`),
reports each problem with its location in Thai and English, and hands back plain values; nothing
outside this package opens a user's file itself. See docs/security.md.
"""
