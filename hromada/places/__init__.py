"""Community registers and maps (issue 10; docs/adr/0005-places-plan.md).

Not yet an installed app: so far only the pure address functions every later part
stands on (parsing and normalising what people type, the official transliteration)."""
