"""Whole U-SQL scripts on real files: extractors, joins, aggregates, outputters, @@name@@ templating,
and failures (syntax, unsupported constructs, bad data) that leave no output behind."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from azureml_local.usql import UsqlError
from azureml_local.usql.run import run_script, substitute
from azureml_local.usql.translate import translate


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "employees.csv").write_text("1, Noah, 100\n3, Liam, 100\n4, Emma, 200\n5, Jacob, 100\n7, Jennie, 300\n")
    (tmp_path / "depts.tsv").write_text("id\tname\n100\tSales\n200\tOps\n")
    (tmp_path / "quoted.csv").write_text('name,notes,score\n"Smith, Ann","said ""hi""",1.5\nBob,,\n')
    return tmp_path


def run(tmp: Path, script: str) -> list[str]:
    return run_script(textwrap.dedent(script).replace("$", str(tmp)))


def test_notebook_script_extract_and_text_output(data):
    """The script of the official ADLA notebook (aml-pipelines-use-adla-as-compute-target)."""
    run(data, """
        // Read employee information from csv file
        @employees =
            EXTRACT EmpId int, EmpName string, DeptId int
            FROM "$/employees.csv"
            USING Extractors.Csv();

        // Export employee names to text file
        OUTPUT
        (
            SELECT EmpName
            FROM @employees
        )
        TO "$/names.txt"
        USING Outputters.Text();
    """)
    assert (data / "names.txt").read_bytes() == b'" Noah"\r\n" Liam"\r\n" Emma"\r\n" Jacob"\r\n" Jennie"\r\n'


def test_join_group_order_and_header(data):
    run(data, """
        DECLARE @folder string = "$";
        DECLARE @minimum int = 2;
        @e = EXTRACT EmpId int, EmpName string, DeptId int FROM @folder + "/employees.csv" USING Extractors.Csv();
        @d = EXTRACT Id int, Name string FROM "$/depts.tsv" USING Extractors.Tsv(skipFirstNRows: 1);
        @joined =
            SELECT d.Name AS Dept, e.EmpName.Trim() AS Emp, e.EmpId
            FROM @e AS e
                 INNER JOIN @d AS d ON e.DeptId == d.Id;
        @per_dept =
            SELECT Dept, COUNT(*) AS People, SUM(EmpId) AS Ids
            FROM @joined
            WHERE EmpId >= @minimum
            GROUP BY Dept
            HAVING COUNT(*) >= 1;
        @no_dept = SELECT EmpName.Trim() AS Emp FROM @e LEFT ANTISEMIJOIN @d ON e.DeptId == d.Id;
        OUTPUT @per_dept TO "$/per_dept.csv" ORDER BY People DESC USING Outputters.Csv(outputHeader: true);
        OUTPUT @no_dept TO "$/no_dept.tsv" USING Outputters.Tsv(quoting: false);
    """)
    assert (data / "per_dept.csv").read_bytes() == b'"Dept","People","Ids"\r\n"Sales",2,8\r\n"Ops",1,4\r\n'
    assert (data / "no_dept.tsv").read_bytes() == b"Jennie\r\n"


def test_quoting_nulls_and_types(data):
    run(data, """
        @q = EXTRACT name string, notes string, score double? FROM "$/quoted.csv"
             USING Extractors.Csv(skipFirstNRows: 1, quoting: true);
        @r = SELECT name, notes, score, score > 1.0 AS high, score == null ? -1 : score * 2 AS doubled FROM @q;
        OUTPUT @r TO "$/out.csv" USING Outputters.Csv(outputHeader: true, quoting: true);
    """)
    assert (data / "out.csv").read_bytes().decode().splitlines() == [
        '"name","notes","score","high","doubled"', '"Smith, Ann","said ""hi""",1.5,True,3', '"Bob",,,,-1']


def test_output_to_a_folder_writes_a_file_named_after_it(data):
    (data / "port").mkdir()
    run(data, """
        @e = EXTRACT EmpId int, EmpName string, DeptId int FROM "$/employees.csv" USING Extractors.Csv();
        OUTPUT (SELECT DISTINCT DeptId FROM @e) TO "$/port" ORDER BY DeptId USING Outputters.Csv();
    """)
    assert (data / "port" / "port").read_bytes() == b"100\r\n200\r\n300\r\n"


def test_input_folder_and_file_set(data):
    (data / "parts").mkdir()
    (data / "parts" / "a.csv").write_text("1\n2\n")
    (data / "parts" / "b.csv").write_text("3\n")
    run(data, """
        @all = EXTRACT v int FROM "$/parts" USING Extractors.Csv();
        @set = EXTRACT v int FROM "$/parts/{*}.csv" USING Extractors.Csv();
        OUTPUT (SELECT SUM(v) AS total FROM @all) TO "$/all.csv" USING Outputters.Csv();
        OUTPUT (SELECT COUNT(*) AS n FROM @set) TO "$/set.csv" USING Outputters.Csv();
    """)
    assert (data / "all.csv").read_text().strip() == "6" and (data / "set.csv").read_text().strip() == "3"


def test_substitute_templates():
    assert substitute('FROM "@@in@@" TO "@@out@@" WHERE x > @@n@@', {"in": "/a.csv", "out": "/o", "n": 3}) == \
        'FROM "/a.csv" TO "/o" WHERE x > 3'
    with pytest.raises(UsqlError) as info:
        substitute('\n\nFROM "@@nope@@"', {"in": "/a"})
    assert info.value.line == 3 and "@@nope@@ names no input, output or parameter of the step (known: in)" in \
        str(info.value)


GOOD = """@e = EXTRACT EmpId int, EmpName string, DeptId int FROM "$/employees.csv" USING Extractors.Csv();
OUTPUT @e TO "$/first.csv" USING Outputters.Csv();
"""


@pytest.mark.parametrize("tail, message, line", [
    ("@x = SELECT EmpId FROM @e WHERE;\nOUTPUT @x TO \"$/x.csv\" USING Outputters.Csv();",
     "unexpected ';' in an expression", 3),
    ("@x = SELECT EmpId FROM @e GROUP EmpId;", "expected BY after GROUP", 3),
    ("@x = SELECT EmpId FROM @e\nOUTPUT @x TO \"$/x.csv\" USING Outputters.Csv();", "expected ';' at the end", 4),
    ("CREATE TABLE T (a int);", "the statement CREATE TABLE is not supported", 3),
    ("USE DATABASE db;", "the statement USE DATABASE is not supported", 3),
    ("@x = REDUCE @e ON DeptId PRODUCE x int USING new MyReducer();", "REDUCE (user-defined operators", 3),
    ("@x = SELECT * FROM @e CROSS APPLY EXPLODE(y) AS t(z);", "CROSS APPLY (EXPLODE) is not supported", 3),
    ("@x = SELECT * FROM @nope;", "the rowset @nope is not defined", 3),
    ("@x = EXTRACT a int FROM \"$/missing.csv\" USING Extractors.Csv();", "the input file", 3),
    ("@x = EXTRACT a int FROM \"$/employees.csv\" USING MyExtractor();", "user-defined extractors", 3),
    ("@x = EXTRACT a int FROM \"$/employees.csv\" USING Extractors.Parquet();", "Extractors.Parquet() is not", 3),
    ("@x = EXTRACT a SqlMap FROM \"$/employees.csv\" USING Extractors.Csv();", "complex type SqlMap", 3),
    ("OUTPUT @e TO \"$/o.csv\" USING Outputters.Csv(encoding: Encoding.UTF32);", "encoding Encoding.UTF32", 3),
    ("OUTPUT @e TO \"$/{x}.csv\" USING Outputters.Csv();", "file set outputs", 3),
    ("@x = SELECT EmpId FROM @e WHERE EmpName.Split(',') != null;", ".Split() is not supported", 3),
    ("DECLARE @d DateTime = DateTime.Now;", "DECLARE supports constant values only", 3),
    ("@x = SELECT EmpId AS FROM @e;", "expected a column alias after AS", 3),
])
def test_errors_name_construct_and_line_and_write_nothing(data, tail, message, line):
    script = (GOOD + tail).replace("$", str(data))
    with pytest.raises(UsqlError) as info:
        run_script(script)
    assert info.value.line == line, str(info.value)
    assert message in str(info.value)
    assert not (data / "first.csv").exists() and not list(data.glob(".*partial"))


def test_a_failing_later_output_leaves_no_earlier_output(data):
    (data / "bad.csv").write_text("1\nnot-a-number\n")
    script = (GOOD + '@b = EXTRACT v int FROM "$/bad.csv" USING Extractors.Csv();\n'
              'OUTPUT @b TO "$/b.csv" USING Outputters.Csv();\n').replace("$", str(data))
    with pytest.raises(UsqlError, match=r"^U-SQL error at line 4: the (output|statement) failed: .*not-a-number"):
        run_script(script)
    assert sorted(p.name for p in data.iterdir() if p.is_file()) == ["bad.csv", "depts.tsv", "employees.csv", "quoted.csv"]


def test_silent_extractor_skips_bad_values(data):
    (data / "bad.csv").write_text("1\nnot-a-number\n3\n")
    run(data, """
        @b = EXTRACT v int? FROM "$/bad.csv" USING Extractors.Csv(silent: true);
        OUTPUT (SELECT SUM(v) AS s FROM @b) TO "$/s.csv" USING Outputters.Csv();
    """)
    assert (data / "s.csv").read_text().strip() == "4"


def test_script_without_output_is_rejected():
    with pytest.raises(UsqlError, match="no OUTPUT statement"):
        translate('DECLARE @a string = "x";')
