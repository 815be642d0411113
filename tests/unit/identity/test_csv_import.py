import pytest

from identity.domain.csv_import import (
    CsvRejected,
    ImportRow,
    LineError,
    parse_employee_csv,
)

HEADER = "nip,name,unit_code,position,supervisor_nip,email"
BOSS = "198503302010011002"
STAFF = "199001152015032001"
STAFF2 = "199203042018011003"


def csv_bytes(*lines, sep="\n", bom=False):
    text = sep.join(lines) + sep
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def only_error(result):
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_valid_file_is_parsed_with_spreadsheet_line_numbers():
    result = parse_employee_csv(
        csv_bytes(
            HEADER,
            f"{BOSS},Budi Santoso,BKPSDM,Kepala Badan,,budi@bangkatengahkab.go.id",
            f"{STAFF},Siti Aminah,bkpsdm,Analis SDM,{BOSS},",
        )
    )
    assert result.errors == []
    assert result.rows == [
        ImportRow(2, BOSS, "Budi Santoso", "BKPSDM", "Kepala Badan", None, "budi@bangkatengahkab.go.id"),
        ImportRow(3, STAFF, "Siti Aminah", "BKPSDM", "Analis SDM", BOSS, None),
    ]


def test_header_only_gives_nothing():
    result = parse_employee_csv(csv_bytes(HEADER))
    assert result.rows == [] and result.errors == []


def test_utf8_bom_is_accepted():
    result = parse_employee_csv(csv_bytes(HEADER, f"{BOSS},Budi,BKPSDM,Kepala,,", bom=True))
    assert [r.nip for r in result.rows] == [BOSS]


def test_semicolon_delimiter_from_indonesian_excel():
    result = parse_employee_csv(
        csv_bytes(
            "nip;name;unit_code;position;supervisor_nip;email",
            f"{BOSS};Siregar, Budi;BKPSDM;Kepala Bidang, Perencanaan;;",
            sep="\r\n",
            bom=True,
        )
    )
    assert result.errors == []
    assert result.rows[0].name == "Siregar, Budi"
    assert result.rows[0].position == "Kepala Bidang, Perencanaan"


def test_quoted_fields_with_delimiters_and_quotes():
    result = parse_employee_csv(
        csv_bytes(HEADER, f'{BOSS},"Siregar, Budi","BKPSDM","Kepala ""Badan""",,')
    )
    assert result.errors == []
    assert result.rows[0].name == "Siregar, Budi"
    assert result.rows[0].position == 'Kepala "Badan"'


def test_multi_line_quoted_field_keeps_physical_line_numbers():
    data = csv_bytes(
        HEADER,
        f'{BOSS},Budi,BKPSDM,"Kepala\nBidang\nPerencanaan",,',  # lines 2-4
        "123,Bad NIP,BKPSDM,Staf,,",  # line 5
        f"{STAFF},Siti,BKPSDM,Staf,{BOSS},",  # line 6
    )
    result = parse_employee_csv(data)
    assert [(r.line, r.nip) for r in result.rows] == [(2, BOSS), (6, STAFF)]
    assert result.rows[0].position == "Kepala Bidang Perencanaan"
    assert only_error(result).line == 5


def test_crlf_line_endings_count_lines_once():
    data = csv_bytes(HEADER, f"{BOSS},Budi,BKPSDM,Kepala,,", "bad,x,BKPSDM,Staf,,", sep="\r\n")
    result = parse_employee_csv(data)
    assert only_error(result).line == 3


def test_blank_lines_are_skipped_but_counted():
    data = csv_bytes(HEADER, "", f"{BOSS},Budi,BKPSDM,Kepala,,", ",,,,,", "   ", "bad,x,BKPSDM,Staf,,")
    result = parse_employee_csv(data)
    assert [r.line for r in result.rows] == [3]
    assert only_error(result).line == 6


def test_non_utf8_file_is_rejected():
    data = (HEADER + "\n" + f"{BOSS},Andr\xe9,BKPSDM,Kepala,,\n").encode("latin-1")
    with pytest.raises(CsvRejected) as info:
        parse_employee_csv(data)
    assert info.value.reason.startswith("file is not UTF-8")
    assert "0xe9" in info.value.reason
    assert isinstance(info.value, ValueError)


def test_missing_column_is_rejected():
    with pytest.raises(CsvRejected) as info:
        parse_employee_csv(csv_bytes("nip,name,unit_code,position,supervisor_nip", f"{BOSS},Budi,BKPSDM,Kepala,"))
    assert "missing required columns: email" in info.value.reason


def test_missing_column_names_the_detected_delimiter():
    # A tab-separated file reads as one big column: every required column is missing.
    with pytest.raises(CsvRejected) as info:
        parse_employee_csv(csv_bytes(HEADER.replace(",", "\t")))
    assert "missing required columns" in info.value.reason


def test_unknown_columns_are_rejected_and_listed():
    with pytest.raises(CsvRejected) as info:
        parse_employee_csv(csv_bytes(HEADER + ",golongan,alamat", f"{BOSS},Budi,BKPSDM,Kepala,,,III/a,Koba"))
    assert info.value.reason == "unknown columns: golongan, alamat"


def test_duplicate_header_column_is_rejected():
    with pytest.raises(CsvRejected) as info:
        parse_employee_csv(csv_bytes(HEADER + ",NIP"))
    assert "duplicate columns" in info.value.reason


def test_header_is_case_and_whitespace_insensitive_and_any_order():
    data = csv_bytes(
        " EMAIL ; Supervisor NIP ;Position;UNIT_CODE; Name ;Nip",
        f"a@b.id;;Kepala;bkpsdm;Budi;{BOSS}",
    )
    result = parse_employee_csv(data)
    assert result.errors == []
    assert result.rows[0] == ImportRow(2, BOSS, "Budi", "BKPSDM", "Kepala", None, "a@b.id")


def test_trailing_empty_header_cell_and_trailing_empty_cells_are_ignored():
    data = csv_bytes(HEADER + ",", f"{BOSS},Budi,BKPSDM,Kepala,,,", f"{STAFF},Siti,BKPSDM,Staf,,,")
    result = parse_employee_csv(data)
    assert [r.nip for r in result.rows] == [BOSS, STAFF]


def test_value_in_a_column_without_header_is_an_error():
    result = parse_employee_csv(csv_bytes(HEADER, f"{BOSS},Budi,BKPSDM,Kepala,,,surprise"))
    err = only_error(result)
    assert err.line == 2 and "no header" in err.message
    assert result.rows == []


def test_short_row_reports_missing_values():
    result = parse_employee_csv(csv_bytes(HEADER, f"{BOSS},Budi"))
    assert {e.field for e in result.errors} == {"unit_code", "position"}
    assert all(e.line == 2 for e in result.errors)


def test_duplicate_nip_errors_on_the_later_line():
    data = csv_bytes(
        HEADER,
        f"{BOSS},Budi,BKPSDM,Kepala,,",
        f"{STAFF},Siti,BKPSDM,Staf,,",
        f"'{BOSS},Budi Lagi,BKPSDM,Kepala,,",
    )
    result = parse_employee_csv(data)
    assert [r.line for r in result.rows] == [2, 3]
    err = only_error(result)
    assert err == LineError(4, f"duplicate NIP {BOSS}: already on line 2", "nip")


def test_excel_apostrophe_nip_is_accepted():
    result = parse_employee_csv(csv_bytes(HEADER, f"'{STAFF},Siti,BKPSDM,Staf,'{BOSS},"))
    assert result.errors == []
    assert (result.rows[0].nip, result.rows[0].supervisor_nip) == (STAFF, BOSS)


def test_grouped_nip_is_accepted():
    result = parse_employee_csv(csv_bytes(HEADER, "19850330 201001 1 002,Budi,BKPSDM,Kepala,,"))
    assert result.rows[0].nip == BOSS


@pytest.mark.parametrize("sep,value", [(",", "1.98503E+17"), (";", "1,98503E+17"), (",", "1.98503e17")])
def test_scientific_notation_nip_is_a_clear_line_error(sep, value):
    header = HEADER.replace(",", sep)
    cell = f'"{value}"' if sep in value else value
    data = csv_bytes(header, sep.join([cell, "Budi", "BKPSDM", "Kepala", "", ""]), sep.join([STAFF, "Siti", "BKPSDM", "Staf", "", ""]))
    result = parse_employee_csv(data)
    err = only_error(result)
    assert err.line == 2 and err.field == "nip"
    assert "scientific notation" in err.message and "Text" in err.message
    assert [r.nip for r in result.rows] == [STAFF]


def test_scientific_notation_supervisor_nip_is_a_line_error():
    result = parse_employee_csv(csv_bytes(HEADER, f"{STAFF},Siti,BKPSDM,Staf,1.98503E+17,"))
    err = only_error(result)
    assert err.field == "supervisor_nip" and "scientific notation" in err.message


def test_invalid_nip_reason_is_passed_through():
    result = parse_employee_csv(csv_bytes(HEADER, "198502302010011002,Budi,BKPSDM,Kepala,,"))
    err = only_error(result)
    assert err.field == "nip"
    assert "not a valid birth date" in err.message


def test_missing_nip_is_an_error():
    err = only_error(parse_employee_csv(csv_bytes(HEADER, " ,Budi,BKPSDM,Kepala,,")))
    assert (err.field, err.message) == ("nip", "nip is required")


def test_name_rules():
    data = csv_bytes(
        HEADER,
        f"{BOSS},,BKPSDM,Kepala,,",
        f"{STAFF},{'x' * 201},BKPSDM,Staf,,",
        f"{STAFF2},{'y' * 200},BKPSDM,Staf,,",
        f"199405052019021004,  Ani   Lestari  ,BKPSDM,Staf,,",
    )
    result = parse_employee_csv(data)
    assert [(e.line, e.field) for e in result.errors] == [(2, "name"), (3, "name")]
    assert "required" in result.errors[0].message
    assert "longer than 200" in result.errors[1].message
    assert [r.name for r in result.rows] == ["y" * 200, "Ani Lestari"]


def test_control_characters_in_name_are_rejected():
    err = only_error(parse_employee_csv(csv_bytes(HEADER, f"{BOSS},Bu\x07di,BKPSDM,Kepala,,")))
    assert err.field == "name"


def test_unit_code_rules():
    data = csv_bytes(
        HEADER,
        f"{BOSS},Budi,dinkes.01,Kepala,,",
        f"{STAFF},Siti,BK PSDM,Staf,,",
        f"{STAFF2},Ani,,Staf,,",
    )
    result = parse_employee_csv(data)
    assert result.rows[0].unit_code == "DINKES.01"
    assert [(e.line, e.field) for e in result.errors] == [(3, "unit_code"), (4, "unit_code")]
    assert "'BK PSDM'" in result.errors[0].message
    assert result.errors[1].message == "unit_code is required"


def test_position_rules():
    data = csv_bytes(HEADER, f"{BOSS},Budi,BKPSDM,,,", f"{STAFF},Siti,BKPSDM,{'p' * 201},,", f"{STAFF2},Ani,BKPSDM,{'p' * 200},,")
    result = parse_employee_csv(data)
    assert [(e.line, e.field) for e in result.errors] == [(2, "position"), (3, "position")]
    assert [r.nip for r in result.rows] == [STAFF2]


@pytest.mark.parametrize("email", ["budi@", "budi", "@x.id", "budi@x", "bu di@x.id", "a@b@c.id"])
def test_bad_email_is_an_error(email):
    err = only_error(parse_employee_csv(csv_bytes(HEADER, f"{BOSS},Budi,BKPSDM,Kepala,,{email}")))
    assert err.field == "email"


def test_email_is_stripped_and_optional():
    result = parse_employee_csv(csv_bytes(HEADER, f"{BOSS},Budi,BKPSDM,Kepala,,  budi@x.go.id  ", f"{STAFF},Siti,BKPSDM,Staf,,   "))
    assert [r.email for r in result.rows] == ["budi@x.go.id", None]


def test_supervisor_rules():
    data = csv_bytes(
        HEADER,
        f"{BOSS},Budi,BKPSDM,Kepala,{BOSS},",
        f"{STAFF},Siti,BKPSDM,Staf,12345,",
        f"{STAFF2},Ani,BKPSDM,Staf,  ,",
    )
    result = parse_employee_csv(data)
    assert [(e.line, e.field) for e in result.errors] == [(2, "supervisor_nip"), (3, "supervisor_nip")]
    assert "own supervisor" in result.errors[0].message
    assert "18 digits" in result.errors[1].message
    assert result.rows[0].supervisor_nip is None


def test_one_line_can_have_several_errors_and_never_blocks_the_others():
    data = csv_bytes(HEADER, f"{BOSS},Budi,BKPSDM,Kepala,,", "x,,!!,,y,z", f"{STAFF},Siti,BKPSDM,Staf,{BOSS},")
    result = parse_employee_csv(data)
    assert [r.line for r in result.rows] == [2, 4]
    assert [e.field for e in result.errors] == ["nip", "name", "unit_code", "position", "supervisor_nip", "email"]
    assert {e.line for e in result.errors} == {3}


def test_line_error_as_dict():
    assert LineError(7, "bad", "nip").as_dict() == {"line": 7, "message": "bad"}


def test_too_big_file_is_rejected():
    data = csv_bytes(HEADER, f"{BOSS},Budi,BKPSDM,Kepala,,")
    with pytest.raises(CsvRejected) as info:
        parse_employee_csv(data, max_bytes=len(data) - 1)
    assert "larger than" in info.value.reason
    assert parse_employee_csv(data, max_bytes=len(data)).rows


def test_too_many_rows_is_rejected():
    data = csv_bytes(HEADER, f"{BOSS},Budi,BKPSDM,Kepala,,", "", f"{STAFF},Siti,BKPSDM,Staf,,", f"{STAFF2},Ani,BKPSDM,Staf,,")
    with pytest.raises(CsvRejected) as info:
        parse_employee_csv(data, max_rows=2)
    assert "more than 2 data rows" in info.value.reason
    assert len(parse_employee_csv(data, max_rows=3).rows) == 3  # blank line not counted


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \n\n", b"\r\n"])
def test_empty_file_is_rejected(data):
    with pytest.raises(CsvRejected):
        parse_employee_csv(data)


def test_non_bytes_is_rejected():
    with pytest.raises(CsvRejected):
        parse_employee_csv(HEADER)  # type: ignore[arg-type]


def test_ten_thousand_rows():
    lines = [HEADER]
    for i in range(10_000):
        month, day, seq = i % 12 + 1, i // 12 % 28 + 1, i // 336 + 1
        lines.append(f"1985{month:02d}{day:02d}20100{i % 9 + 1}1{seq:03d},Pegawai {i},UNIT{i % 50},Staf,{BOSS},p{i}@x.go.id")
    lines.insert(1, f"{BOSS},Budi,BKPSDM,Kepala,,")
    result = parse_employee_csv(csv_bytes(*lines))
    assert result.errors == []
    assert len(result.rows) == 10_001
    assert result.rows[-1].line == 10_002
