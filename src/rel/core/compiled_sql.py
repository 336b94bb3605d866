"""The agenda's SQL compiled for SQLite. Written by `python -m rel.core.queries`:
do not edit; a test checks it matches rel.core.queries."""

COMPILED: dict[str, tuple[str, tuple[str, ...], tuple[str | None, ...], dict]] = {
    'tag_names': (
        'SELECT tag.name \nFROM tag ORDER BY tag.name',
        (),
        (None,),
        {},
    ),
    'agenda_contacts': (
        'SELECT contact.id, contact.name, contact.cadence, contact.added_on, contact.birthday_month, contact.birthday_day, contact.birthday_year, contact.last_seen \nFROM contact \nWHERE contact.archived IS 0 AND (contact.cadence IS NOT NULL OR contact.birthday_month IS NOT NULL OR (EXISTS (SELECT contact_tag.contact_id \nFROM contact_tag JOIN tag ON tag.id = contact_tag.tag_id \nWHERE contact_tag.contact_id = contact.id AND tag.cadence IS NOT NULL)))',
        (),
        (None, None, None, 'date', None, None, None, 'date'),
        {},
    ),
    'agenda_contacts_tagged': (
        'SELECT contact.id, contact.name, contact.cadence, contact.added_on, contact.birthday_month, contact.birthday_day, contact.birthday_year, contact.last_seen \nFROM contact \nWHERE contact.archived IS 0 AND (contact.cadence IS NOT NULL OR contact.birthday_month IS NOT NULL OR (EXISTS (SELECT contact_tag.contact_id \nFROM contact_tag JOIN tag ON tag.id = contact_tag.tag_id \nWHERE contact_tag.contact_id = contact.id AND tag.cadence IS NOT NULL))) AND contact.id IN (SELECT contact_tag.contact_id \nFROM contact_tag JOIN tag ON tag.id = contact_tag.tag_id \nWHERE tag.name IN (__[POSTCOMPILE_tags]))',
        ('tags',),
        (None, None, None, 'date', None, None, None, 'date'),
        {},
    ),
    'tag_cadences': (
        'SELECT contact_tag.contact_id, tag.name, tag.cadence \nFROM contact_tag JOIN tag ON tag.id = contact_tag.tag_id \nWHERE tag.cadence IS NOT NULL',
        (),
        (None, None, None),
        {},
    ),
    'open_touchpoints': (
        'SELECT touchpoint.id, touchpoint.contact_id, touchpoint.kind, touchpoint.text, touchpoint.due, touchpoint.rule, touchpoint.lead, contact.name, life_event.kind AS kind_1, life_event."on" \nFROM touchpoint JOIN contact ON contact.id = touchpoint.contact_id LEFT OUTER JOIN life_event ON life_event.id = touchpoint.event_id \nWHERE touchpoint.state = ? AND contact.archived IS 0 AND (touchpoint.due <= ? OR touchpoint.lead IS NOT NULL)',
        ('state_1', 'horizon'),
        (None, None, None, None, 'date', None, None, None, None, 'date'),
        {'state_1': 'open'},
    ),
    'open_touchpoints_tagged': (
        'SELECT touchpoint.id, touchpoint.contact_id, touchpoint.kind, touchpoint.text, touchpoint.due, touchpoint.rule, touchpoint.lead, contact.name, life_event.kind AS kind_1, life_event."on" \nFROM touchpoint JOIN contact ON contact.id = touchpoint.contact_id LEFT OUTER JOIN life_event ON life_event.id = touchpoint.event_id \nWHERE touchpoint.state = ? AND contact.archived IS 0 AND (touchpoint.due <= ? OR touchpoint.lead IS NOT NULL) AND contact.id IN (SELECT contact_tag.contact_id \nFROM contact_tag JOIN tag ON tag.id = contact_tag.tag_id \nWHERE tag.name IN (__[POSTCOMPILE_tags]))',
        ('state_1', 'horizon', 'tags'),
        (None, None, None, None, 'date', None, None, None, None, 'date'),
        {'state_1': 'open'},
    ),
    'gift_ideas': (
        'SELECT gift.id, gift.contact_id, gift.text, gift.occasion, gift."on", gift.lead, contact.name, contact.birthday_month, contact.birthday_day \nFROM gift JOIN contact ON contact.id = gift.contact_id \nWHERE gift.direction = ? AND contact.archived IS 0',
        ('direction_1',),
        (None, None, None, None, 'date', None, None, None, None),
        {'direction_1': 'idea'},
    ),
    'gift_ideas_tagged': (
        'SELECT gift.id, gift.contact_id, gift.text, gift.occasion, gift."on", gift.lead, contact.name, contact.birthday_month, contact.birthday_day \nFROM gift JOIN contact ON contact.id = gift.contact_id \nWHERE gift.direction = ? AND contact.archived IS 0 AND contact.id IN (SELECT contact_tag.contact_id \nFROM contact_tag JOIN tag ON tag.id = contact_tag.tag_id \nWHERE tag.name IN (__[POSTCOMPILE_tags]))',
        ('direction_1', 'tags'),
        (None, None, None, None, 'date', None, None, None, None),
        {'direction_1': 'idea'},
    ),
    'next_anniversaries': (
        'SELECT touchpoint.contact_id, min(touchpoint.due) AS min_1 \nFROM touchpoint \nWHERE touchpoint.kind = ? AND touchpoint.state = ? GROUP BY touchpoint.contact_id',
        ('kind_1', 'state_1'),
        (None, 'date'),
        {'kind_1': 'anniversary', 'state_1': 'open'},
    ),
    'snoozes': (
        'SELECT snooze."key", snooze.until \nFROM snooze \nWHERE snooze.until > ?',
        ('today',),
        (None, 'date'),
        {},
    ),
    'contact_count': (
        'SELECT count(*) AS count_1 \nFROM contact',
        (),
        (None,),
        {},
    ),
    'tags_of': (
        'SELECT contact_tag.contact_id, tag.name \nFROM contact_tag JOIN tag ON tag.id = contact_tag.tag_id \nWHERE contact_tag.contact_id IN (__[POSTCOMPILE_ids]) ORDER BY tag.name',
        ('ids',),
        (None, None),
        {},
    ),
    'help_given_and_received': (
        'SELECT participant.contact_id, interaction."on", interaction.direction \nFROM participant JOIN interaction ON interaction.id = participant.interaction_id \nWHERE interaction.kind = ? AND participant.contact_id IN (__[POSTCOMPILE_ids]) ORDER BY participant.contact_id, interaction."on", interaction.id',
        ('kind_1', 'ids'),
        (None, 'date', None),
        {'kind_1': 'help'},
    ),
    'person_by_id': (
        'SELECT contact.id, contact.name, contact.search_name \nFROM contact \nWHERE contact.id = ?',
        ('id',),
        (None, None, None),
        {},
    ),
    'people_named': (
        'SELECT contact.id, contact.name, contact.search_name \nFROM contact \nWHERE contact.search_name = ?',
        ('name',),
        (None, None, None),
        {},
    ),
    'people_named_like': (
        "SELECT contact.id, contact.name, contact.search_name \nFROM contact \nWHERE contact.search_name LIKE ? ESCAPE '\\'",
        ('pattern',),
        (None, None, None),
        {},
    ),
    'people_by_email': (
        'SELECT contact.id, contact.name, contact.search_name, handle.search_value \nFROM contact JOIN handle ON handle.contact_id = contact.id \nWHERE handle.kind = ? AND handle.search_value = ?',
        ('kind_1', 'value'),
        (None, None, None, None),
        {'kind_1': 'email'},
    ),
    'people_by_alias': (
        'SELECT contact.id, contact.name, contact.search_name, handle.search_value \nFROM contact JOIN handle ON handle.contact_id = contact.id \nWHERE handle.kind = ? AND handle.search_value = ?',
        ('kind_1', 'value'),
        (None, None, None, None),
        {'kind_1': 'alias'},
    ),
    'people_by_alias_like': (
        "SELECT contact.id, contact.name, contact.search_name, handle.search_value \nFROM contact JOIN handle ON handle.contact_id = contact.id \nWHERE handle.kind = ? AND handle.search_value LIKE ? ESCAPE '\\'",
        ('kind_1', 'pattern'),
        (None, None, None, None),
        {'kind_1': 'alias'},
    ),
    'all_people': (
        'SELECT contact.id, contact.name, contact.search_name \nFROM contact',
        (),
        (None, None, None),
        {},
    ),
    'insert_interaction': (
        'INSERT INTO interaction ("on", at, kind, note, direction, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        ('on', 'at', 'kind', 'note', 'direction', 'created_at'),
        (),
        {},
    ),
    'insert_participant': (
        'INSERT INTO participant (interaction_id, contact_id) VALUES (?, ?)',
        ('interaction_id', 'contact_id'),
        (),
        {},
    ),
    'insert_touchpoint': (
        'INSERT INTO touchpoint (contact_id, kind, text, due, start, rule, lead, state, interaction_id, event_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ('contact_id', 'kind', 'text', 'due', 'start', 'rule', 'lead', 'state', 'interaction_id', 'event_id', 'created_at'),
        (),
        {},
    ),
}
