"""The body of recording what happened: `rel log`."""

from rel.context import context


def log(
    *,
    who: str,
    kind: str | None,
    note: str | None,
    with_: list[str] | None,
    on: str | None,
    at: str | None,
    they: bool,
    follow_up: str | None,
    kind_option: str | None,
    dry_run: bool,
) -> None:
    """Record an interaction; it resets the catch-up of everyone in it."""
    from rel import render
    from rel.domain.dates import parse_time, parse_when
    from rel.errors import BadValue
    from rel.services.interactions import earlier_same_interaction, parse_kind, record_interaction
    from rel.services.touchpoints import parse_follow_up, schedule
    from rel.services.who import find

    ctx = context()
    sentence = kind is None
    if not sentence and kind_option is not None:
        raise BadValue(f"expected the kind once: {kind!r} or --kind {kind_option!r}, not both")
    given_kind = kind if kind is not None else kind_option
    interaction_kind = parse_kind(given_kind) if given_kind is not None else None
    day = parse_when(on, ctx.today, past=True) if on is not None else None
    time_of_day = parse_time(at) if at is not None else None
    promised = parse_follow_up(follow_up, ctx.today) if follow_up is not None else None
    with ctx.store(write=not dry_run) as store:
        if sentence:
            understood = _understand(store, who, interaction_kind, day, ctx.today)
            people, interaction_kind, day = understood.people, understood.kind, understood.on
            note = understood.note if note is None else f"{understood.note}\n{note}"
        else:
            people = [find(store, who)]
        people += [find(store, other) for other in with_ or []]
        day = day or ctx.today
        if dry_run:
            render.message(f"Would log {_understood(interaction_kind, people, day, ctx.today)}.")
            return
        earlier = earlier_same_interaction(store, [p.id for p in people], interaction_kind, day)
        logged = record_interaction(
            store,
            people,
            interaction_kind,
            note,
            on=day,
            at=time_of_day,
            they_reached_out=they,
            today=ctx.today,
            now=ctx.now,
        )
        promise = None
        if promised is not None:
            day_due, text = promised
            promise = schedule(
                store, people[0].id, text, on=day_due, kind="follow-up", now=ctx.now,
                interaction_id=logged.interaction_id,
            )  # fmt: skip
    key = f"i{logged.interaction_id}"
    render.message(f"Logged {_understood(logged.kind, people, logged.on, ctx.today)} as {key}.")
    if earlier is not None:
        render.warning(
            f"i{earlier} is {'an' if logged.kind[0] in 'aeiou' else 'a'} {logged.kind} with "
            f"the same people on {logged.on.isoformat()}; if it is the same one, "
            f"rel rm i{earlier} removes it (or rel undo takes back {key})"
        )
    if promise is not None:
        render.message(f"Follow-up t{promise.id} due {promise.due.isoformat()}: {promise.text}.")
    if not render.is_terminal():
        render.out(key)


def _understood(kind: str, people: list, day, today) -> str:
    """ "lunch with Alice Chen and Sam Ortiz on 2026-03-01 (today)" """
    names = [person.name for person in {p.id: p for p in people}.values()]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    when = day.isoformat() + (" (today)" if day == today else "")
    return f"{kind} with {listed} on {when}"


def _understand(store, sentence: str, kind, day, today):
    """The people, kind and day of a one-sentence log (rel.services.sentence), asking on a
    terminal which person a name means when it fits several."""
    from rel.services.sentence import known_in, understand

    known = known_in(store, sentence, today)
    return understand(sentence, known, today, kind=kind, on=day, choose=_choose(sentence))


def _choose(sentence: str):
    def choose(written: str, candidates: list) -> object:
        from rel.commands.contacts import stdin_is_terminal
        from rel.errors import Ambiguous

        listed = ", ".join(f"{p.name} (#{p.id})" for p in candidates)
        if not stdin_is_terminal():
            retyped = sentence.replace(written, candidates[0].name, 1)
            raise Ambiguous(
                f"{written!r} in the sentence fits {len(candidates)} contacts: {listed}; "
                f"write more of the name, e.g. rel log {retyped!r}",
                [(p.id, p.name) for p in candidates],
            )
        import click

        from rel import render

        render.message(f"{written!r} could be:")
        for number, person in enumerate(candidates, 1):
            render.message(f"  {number}) {person.name} (#{person.id})")
        picked = click.prompt(
            "Which one", type=click.IntRange(1, len(candidates)), err=True, prompt_suffix="? "
        )
        return candidates[picked - 1]

    return choose
