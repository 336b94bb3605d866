"""The record's side of the body of rel edit: a key (i42, t3, e5, g2) names a record
(rel.commands.contacts.edit dispatches to it)."""

from rel.context import context


def edit_record(key: str, options: dict) -> None:
    """`rel edit KEY ...`: `options` maps each option typed (--note, --on ...) to its value."""
    from rel import render
    from rel.services import records

    records.check_options_fit(key, list(options))  # before opening the store
    ctx = context()
    with ctx.store(write=True) as store:
        edited = records.edit_record(store, key, options, today=ctx.today, now=ctx.now)
    if edited.changes:
        render.message(f"Changed {edited.key}: {'; '.join(edited.changes)}.")
        render.message(f"Now {edited.what}.")
    else:
        parsed = records.record_key(key)
        assert parsed is not None
        render.message(
            f"Nothing to change for {edited.what} (it takes {', '.join(records.FITS[parsed[0]])})."
        )
