"""CSV shapes beyond the real-world files: English Outlook, plain spreadsheets, encodings."""

from __future__ import annotations

from rel.domain.dates import Birthday
from rel.services.importing import ParsedContact, read_records

OUTLOOK_EN = (
    '"Title","First Name","Middle Name","Last Name","Suffix","Company","Department",'
    '"Job Title","Business Phone","Business Fax","Home Phone","Mobile Phone",'
    '"E-mail Address","E-mail 2 Address","Birthday","Anniversary","Categories","Notes",'
    '"Web Page","Spouse"\r\n'
    '"Mr.","John","","Smith","","Contoso","Sales","Account Manager","+1 (425) 555-0100",'
    '"+1 (425) 555-0199","","+1 (425) 555-0123","john@contoso.example","js@home.example",'
    '"3/22/1980","6/1/2005","Customers;VIP","Prefers mornings","www.contoso.example","Mary"\r\n'
)


def parse(text: str, *, encoding: str = "utf-8") -> list:
    return list(read_records("csv", text.encode(encoding)).items)


def test_english_outlook_csv():
    (john,) = parse(OUTLOOK_EN)
    assert john.name == "John Smith"  # "Title" is Mr. here: Outlook has a Job Title column
    assert (john.company, john.title) == ("Contoso", "Account Manager")
    assert john.emails == ["john@contoso.example", "js@home.example"]
    assert john.phones == ["+1 (425) 555-0100", "+1 (425) 555-0123"]  # no fax
    assert john.birthday == Birthday(3, 22, 1980)
    assert john.anniversary == Birthday(6, 1, 2005)
    assert john.links == ["https://www.contoso.example"]
    assert john.tags == ["customer", "vip"]
    assert "Spouse: Mary" in john.notes and john.notes.startswith("Prefers mornings")


def test_outlook_csv_in_windows_1252_with_a_german_header():
    text = '"Vorname","Nachname","Firma","E-Mail-Adresse","Geburtstag"\r\n"Jürgen","Weiß","Müller AG","jw@example.de","24.12.1970"\r\n'  # noqa: E501
    (person,) = parse(text, encoding="cp1252")
    assert person.name == "Jürgen Weiß"
    assert person.company == "Müller AG"
    assert person.birthday == Birthday(12, 24, 1970)


def test_a_plain_spreadsheet_with_semicolons_and_rels_own_columns():
    text = (
        "Name;Email;Phone;Tags;Cadence;Met\n"
        "Ada Byron;ada@example.com;+44 20 7946 0018;mentor ::: friends;3w-6w;At the RI\n"
        ";;;;;\n"
        "Bo Dee;bo@example.com;;;weekly;\n"
    )
    found = parse(text)
    assert [r.name for r in found] == ["Ada Byron", "Bo Dee"]  # the empty row is no record
    ada = found[0]
    assert ada.tags == ["mentor", "friend"]
    assert str(ada.cadence) == "3w-6w" and ada.met == "At the RI"
    assert str(found[1].cadence) == "1w"


def test_utf16_csv_with_a_bom_and_a_utf8_csv_with_one():
    text = "First Name,Last Name,E-mail 1 - Value\nÉlodie,Durand,e@example.fr\n"
    for data in (text.encode("utf-16"), text.encode("utf-8-sig")):
        (person,) = read_records("csv", data).items
        assert isinstance(person, ParsedContact) and person.name == "Élodie Durand"


def test_outlook_csv_with_empty_dates_and_a_personal_web_page():
    text = (
        '"First Name","Last Name","E-mail Address","E-mail Type","Mobile Phone","Birthday",'
        '"Anniversary","Personal Web Page"\r\n'
        '"Ann","Lee","ann@example.com","SMTP","+1 202 555 0100","0/0/00","--06-20",'
        '"https://ann.example"\r\n'
    )
    (ann,) = parse(text)
    assert (ann.name, ann.emails, ann.phones) == (
        "Ann Lee",
        ["ann@example.com"],
        ["+1 202 555 0100"],
    )
    assert (ann.birthday, ann.anniversary) == (None, Birthday(6, 20))  # 0/0/00: Outlook's none
    assert ann.links == ["https://ann.example"]
    assert not ann.problems
