"""Every real contact file of ../shared/fixtures/realworld imports, with what a person reading it
expects: the names, emails, birthdays and anniversaries it holds."""

from __future__ import annotations

import json
from datetime import date

import pytest

from rel.domain.dates import Birthday
from rel.services.importing import ParsedContact, Skipped, read_records

from .conftest import REALWORLD

pytestmark = pytest.mark.skipif(
    not REALWORLD.is_dir(),
    reason="the real-world fixtures (../shared/fixtures/realworld) are absent",
)

CONTACT_FILES = sorted(
    p.name for p in REALWORLD.glob("*") if p.suffix in (".vcf", ".csv")
) if REALWORLD.is_dir() else []  # fmt: skip


def records(name: str, kind: str | None = None, **options) -> list[ParsedContact | Skipped]:
    kind = kind or ("vcard" if name.endswith(".vcf") else "csv")
    return list(read_records(kind, (REALWORLD / name).read_bytes(), **options).items)


def people(name: str, **options) -> dict[str, ParsedContact]:
    found = {r.name: r for r in records(name, **options) if isinstance(r, ParsedContact)}
    return found  # type: ignore[misc]


def one(name: str, **options) -> ParsedContact:
    (only,) = records(name, **options)
    assert isinstance(only, ParsedContact), only
    return only


def day(text: str) -> Birthday:
    from rel.domain.dates import parse_birthday

    return parse_birthday(text)


# --- every file, through the command line ------------------------------------------------


@pytest.mark.parametrize("name", CONTACT_FILES)
def test_every_real_contact_file_imports_and_a_second_import_adds_nothing(rel, name):
    kind = "vcard" if name.endswith(".vcf") else "csv"
    first = rel("import", kind, str(REALWORLD / name))
    assert first.exit_code == 0, first.stderr
    assert "error" not in first.stderr
    assert ": 0 added" not in first.stderr  # it brought someone in
    again = rel("import", kind, str(REALWORLD / name))
    assert again.exit_code == 0, again.stderr
    assert ": 0 added, 0 merged" in again.stderr
    listed = json.loads(rel("list", "--json").stdout)
    names = [contact["name"] for contact in listed]
    assert len(names) == len(set(names))  # the second import made no duplicates


def test_the_contact_files_are_all_there():
    assert len(CONTACT_FILES) == 21  # 17 vCard files, 4 CSV files


# --- vCard 2.1 ----------------------------------------------------------------------------


def test_android_cards_without_a_name_are_named_by_their_email_and_quoted_printable_decodes():
    found = records("android-2.1-qp-multi.vcf")
    assert [r.name for r in found] == [
        "john.doe@company.com",
        "jane.doe@company.com",
        "Ñ Ñ Ñ Ñ Ñ",
        "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ",  # a soft line break inside the name
        "Ñ Ñ Ñ Ñ",
        "ÑÑÑÑ",
    ]
    assert found[0].emails == ["john.doe@company.com"]
    assert found[0].tags == []  # "My Contacts" is Android's group of everyone, not a tag
    assert found[3].phones == ["123456", "234567", "3456789", "45678901"]
    assert found[3].notes.count("Ñ Ñ") > 5 and "\n\n" not in found[3].notes  # the same note twice
    assert found[4].emails == ["bob@company.com"] and found[4].company == "Ñ" * 12
    assert found[4].links[0] == "https://www.company.com"
    assert found[5].emails == ["henry@company.com"]
    assert found[4].problems and "left out" in found[4].problems[0]  # an "email" of Ñ only


def test_outlook_vcard_keeps_its_birthday_and_x_ms_anniversary():
    card = one("outlook-2.1-x-ms-anniversary.vcf")
    assert card.name == "Mr. John Richter James Doe Sr."
    assert card.emails == ["john.doe@ibm.cm"]
    assert card.birthday == day("1980-03-22")
    assert card.anniversary == day("2011-01-13")
    assert (card.company, card.title) == ("IBM", "Money Counter")
    assert card.aliases == ["Johny"]
    assert card.phones == ["(905) 555-1234", "(905) 666-1234"]
    assert card.links == ["http://www.ibm.com"]
    assert card.notes.startswith("THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD")


def test_german_outlook_vcard_in_windows_1252():
    card = one("outlook-de-2.1-windows1252.vcf")
    assert card.name == "Rudi Wimmel"
    assert card.emails == ["Wimmel@wurstdarm.de"]
    assert (card.company, card.title) == ("Wurstdarm KG", "Compliance Officer")
    assert card.phones == ["0987 /6543", "9876 /11223344"]
    assert card.links == ["https://wurstdarm.de"]


def test_the_bat_quoted_printable_without_charset_reads_with_the_charset_given():
    assert one("thebat-2.1-qp-nocharset.vcf").name == "Piotr Iksiñski"  # Windows-1252 guess
    card = one("thebat-2.1-qp-nocharset.vcf", charset="iso-8859-2")
    assert card.name == "Piotr Iksiński"
    assert card.emails == ["piotr.iksinski@somedomain.com"]


def test_legacy_thunderbird_lower_case_card_with_version_last():
    found = records("thunderbird-legacy-2.1.vcf")
    assert [(r.name, r.emails) for r in found] == [
        ("contact number one", ["contact1@invalid"]),
        ("contact number two", ["contact2@invalid"]),
    ]
    assert found[1].title == '"worker"'
    assert found[1].notes == "here's some unicode text…"


# --- vCard 3.0 ----------------------------------------------------------------------------


def test_iphone_card_with_cr_cr_lf_line_ends():
    card = one("iphone-ios5-3.0.vcf")
    assert card.name == "Mr. John Richter James Doe Sr."
    assert card.emails == ["john.doe@ibm.com"]
    assert card.birthday == day("2012-06-06")
    assert "905-888-1234" not in card.phones  # a fax
    assert card.phones[0] == "905-555-1234"
    assert card.links == ["http://www.ibm.com"]  # URL:http\://... unescaped


def test_mac_address_book_card_with_mixed_line_ends_and_a_spouse():
    card = one("macos-addressbook-3.0.vcf")
    assert card.name == "Mr. John Richter,James Doe Sr."
    assert card.emails == ["john.doe@ibm.com"]
    assert card.birthday == day("2012-06-06")
    assert "Spouse: Jenny" in card.notes
    assert card.notes.startswith(
        'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"'
    )


def test_apple_company_card_is_named_after_the_company():
    card = one("apple-company-card-3.0.vcf")
    assert card.name == "Apple Computer AG"
    assert card.company == "Apple Computer AG"
    assert card.links == ["http://www.apple.ch"]


def test_mac_utf16_big_endian_without_bom():
    assert one("macos-utf16be-3.0.vcf").name == "Ǽgean ĽdaMonté"


def test_gmail_card_takes_the_labelled_anniversary_not_the_other_dates():
    card = one("gmail-3.0.vcf")
    assert card.name == "VCard Test"
    assert card.emails == [
        "email@example.com",
        "homeemail@example.com",
        "workemail@example.com",
        "otheremail@example.com",
        "customcategory@example.com",
    ]
    assert card.birthday == day("1912-06-23")
    assert card.anniversary == day("1930-03-20")  # item9 is labelled _$!<Anniversary>!$_
    assert "Spouse: Name2" in card.notes and "Child: Name3" in card.notes
    assert card.links[0] == "http://www.example1.com"
    assert (card.company, card.title, card.aliases) == (
        "TheCompany",
        "TheJobTitle",
        ["TheNickname"],
    )


def test_evolution_card_folded_mid_word_with_its_anniversary():
    card = one("evolution-3.0.vcf")
    assert card.name == "Mr. John Richter, James Doe Sr."
    assert card.emails == ["john.doe@ibm.com"]  # folded in the middle of the address
    assert card.birthday == day("1980-03-22")
    assert card.anniversary == day("1980-03-22")
    assert card.tags == ["vip"]
    assert "Spouse: Maria" in card.notes
    assert "PROCUREMENT OF SUBSTITUTE GOODS" in card.notes  # folded mid-word too


def test_thunderbird_more_functions_card_with_x_anniversary_and_categories():
    card = one("thunderbird-mffab-3.0.vcf")
    assert card.name == "John Doe"
    assert card.emails[0] == "doe.john@hotmail.com" and len(card.emails) == 5
    assert card.birthday == day("1970-09-21")
    assert card.anniversary == day("1990-04-30")
    assert card.tags == ["category1", "category2", "category3"]
    assert "Second Line\n\nFourth Line" in card.notes
    assert 'the "note" field; even curse words.' in card.notes
    assert "Spouse: TheSpouse" in card.notes
    assert "555-555-3333" not in card.phones  # the fax


def test_nextcloud_card_with_date_time_birthday_and_anniversary():
    card = one("nextcloud-3.0-x-anniversary.vcf")
    assert card.name == "First Last NextCloud"
    assert card.emails == ["home@gmx.de", "work@gmx.de"]
    assert card.birthday == day("2019-02-10")
    assert card.anniversary == day("2019-02-20")
    assert card.tags == ["test-kontakte"] and card.aliases == ["Hugo"]
    assert card.phones == ["11111111", "205333", "222222"]


def test_cardbook_birthday_in_1604_has_no_year():
    card = one("cardbook-3.0-bday-1604.vcf")
    assert card.name == "Test bday without year Thunderbird CardBook"
    assert card.birthday == Birthday(1, 1, None)


# --- vCard 4.0 ----------------------------------------------------------------------------


def test_nextcloud_4_cards_without_n():
    found = people("nextcloud-4.0-multi.vcf")
    assert list(found) == [
        "Jane Smith",
        "Christie Sheila Woods",
        "Reginald Richards",
        "Virginia Brennan",
        "Derrick Anders",
        "Julia Cara Burke",
        "Terrence Alex Field",
    ]
    assert found["Jane Smith"].emails == ["jane@example.org"]
    assert found["Jane Smith"].phones == ["+1 315-739-0311"]
    assert found["Christie Sheila Woods"].phones == []  # an empty TEL
    assert found["Reginald Richards"].aliases == ["Regi"]
    assert found["Julia Cara Burke"].company == "Mysterious Institute"


def test_rfc_6350_card_with_a_year_less_birthday_and_an_anniversary():
    card = one("rfc6350-examples-4.0.vcf")
    assert card.name == "J. Doe"
    assert card.emails == ["jqpublic@xyz.example.com"]
    assert card.birthday == Birthday(2, 3, None)
    assert card.anniversary == day("1996-04-15")
    assert card.company == "ABC, Inc."
    assert card.phones == ["+33-01-23-45-67"]  # TEL;VALUE=uri:tel:...
    assert card.notes == "This fax number is operational 0800 to 1715 EST, Mon-Fri"


def test_thunderbird_102_vcard_4():
    found = records("thunderbird-102-4.0.vcf")
    assert [(r.name, r.emails) for r in found] == [
        ("contact number one", ["contact1@invalid"]),
        ("contact number two", ["contact2@invalid"]),
    ]
    assert found[1].notes == "here's some unicode text…"


# --- CSV ----------------------------------------------------------------------------------


def test_linkedin_connections_after_the_notes_preamble():
    found = records("constructed-linkedin-connections.csv", "linkedin")
    skipped = [r for r in found if isinstance(r, Skipped)]
    assert [(s.place, s.reason) for s in skipped] == [("line 8", "no name, email or phone")]
    by_name = {r.name: r for r in found if isinstance(r, ParsedContact)}
    assert list(by_name) == [
        "Maren Okafor",
        "Tomás Ferreira",
        "Wen Li, PhD",
        "Zoë Van der Berg",
        "Sam Kowalczyk",
        "Aiko Tanaka 🌸",
        "Łukasz Nowak",
    ]
    tomas = by_name["Tomás Ferreira"]
    assert tomas.emails == ["tomas.ferreira@example.com"]
    assert (tomas.company, tomas.title) == ("Contoso, Ltd.", "Head of Partnerships, EMEA")
    assert tomas.met == "connected on LinkedIn on 2022-01-03"
    assert tomas.added_on.isoformat() == "2022-01-03"
    assert tomas.links == ["https://www.linkedin.com/in/tomasferreira"]
    assert by_name["Zoë Van der Berg"].title == 'Engineer "Platform" Team'
    assert by_name["Zoë Van der Berg"].added_on.isoformat() == "2020-02-29"
    assert by_name["Aiko Tanaka 🌸"].title == "Recruiter"
    assert all(r.birthday is None and r.anniversary is None for r in by_name.values())


def test_google_contacts_current_csv():
    found = people("constructed-google-contacts-current.csv")
    assert list(found) == [
        "Maren Okafor",
        "Tomás Ferreira",
        "Contoso, Ltd.",
        "田中 陽菜",  # File As: family name first
        "Zoë A. Van der Berg Jr.",
    ]
    maren = found["Maren Okafor"]
    assert maren.emails == ["maren@example.com", "maren.okafor@example.org"]
    assert maren.phones == ["+1 202-555-0143", "+1 202-555-0178", "+1 202-555-0100"]
    assert maren.birthday == day("1988-03-14")
    assert maren.anniversary == day("2015-06-20")
    assert maren.tags == ["friend"]  # "Friends"; the * system labels are not tags
    assert maren.notes.startswith("Met at the 2019 meetup.\nPrefers Signal.")
    assert found["Tomás Ferreira"].birthday == Birthday(2, 29, None)
    assert found["Tomás Ferreira"].aliases == ["Tom"]
    assert found["Contoso, Ltd."].tags == ["suppliers"]
    assert found["田中 陽菜"].met == 'University "Data" club'  # custom field "How we met"
    assert found["田中 陽菜"].birthday == day("1995-11-03")
    assert found["Zoë A. Van der Berg Jr."].tags == ["family"]


def test_google_contacts_legacy_csv_in_utf16():
    (contact,) = people("google-contacts-legacy-utf16le.csv").values()
    assert contact.name == "Prefix Firstname Middle Lastname Suffix"
    assert contact.emails == [
        "home@aaa.pl",
        "work@email.pl",
        "unknown@email.com",
        "other@email.com",
    ]
    assert contact.birthday == day("1975-12-12")
    assert contact.notes.startswith('note"note')
    assert contact.tags == ["test"]
    assert (contact.company, contact.title) == ("company", "jobtitle")
    assert contact.links == ["https://test.com", "https://home.page.com"]


def test_german_outlook_csv_with_damaged_umlauts_in_its_header():
    found = people("outlook2007-de.csv")
    assert list(found) == ["The Firm", "Vorname Nachname"]
    firm = found["The Firm"]
    assert firm.company == "The Firm"
    assert firm.phones == ["+4983242332"]  # "Telefon gesch\ufffdftlich"
    assert firm.birthday is None and not firm.problems  # 0.0.00 is Outlook's empty date
    person = found["Vorname Nachname"]
    assert person.emails == ["email@example.org"]
    assert (person.company, person.title) == ("Firma", "Pressestelle")
    assert person.tags == ["partner"]
    assert person.birthday is None and person.anniversary is None


# --- anniversaries reach the store --------------------------------------------------------


def test_imported_anniversaries_are_kept_with_the_contact(rel, session):
    from rel.services.importing import import_file
    from rel.store.queries import OrmReader

    from .conftest import NOW, TODAY

    import_file(
        OrmReader(session),
        "vcard",
        (REALWORLD / "outlook-2.1-x-ms-anniversary.vcf").read_bytes(),
        today=TODAY,
        now=NOW,
    )
    from sqlmodel import select

    from rel.store.models import Contact, LifeEvent

    (contact,) = session.exec(select(Contact)).all()
    (event,) = session.exec(select(LifeEvent)).all()
    assert (event.contact_id, event.kind, event.on) == (contact.id, "wedding", date(2011, 1, 13))
    assert "Anniversary" not in (contact.notes or "")
    assert (contact.birthday_month, contact.birthday_day, contact.birthday_year) == (3, 22, 1980)
