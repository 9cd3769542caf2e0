/* The delimited-text reader (engine/adapters/csv.c, mpi_table_read): the
 * delimiter detected from the bytes, a UTF-8 BOM, quoted fields holding
 * delimiters, quotes and line breaks, UTF-16 converted to UTF-8, each row's
 * source line, and files that cannot be read. Expected tables are written
 * out by hand from the inputs. */
#include "helpers.h"

#include "adapters.h"

static mpi_table read_ok(const char *path, char delim)
{
    mpi_table t;
    mp_status st = mpi_table_read(path, delim, &t);
    if (st != MP_OK)
        fprintf(stderr, "%s\n", mp_last_error());
    assert_int_equal(st, MP_OK);
    return t;
}

static void assert_row(const mpi_table *t, size_t r, int line, size_t n, const char *const *cells)
{
    assert_true(r < t->nrows);
    assert_int_equal(t->line[r], line);
    assert_int_equal(t->ncols[r], n);
    for (size_t c = 0; c < n; c++)
        assert_string_equal(t->rows[r][c], cells[c]);
}

static mpi_table read_text(const char *dir, const char *text, char delim)
{
    char *path = test_write(dir, "t.csv", text);
    mpi_table t = read_ok(path, delim);
    free(path);
    return t;
}

static void detects_the_delimiter(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    /* commas only */
    mpi_table t = read_text(dir, "a,b,c\n1,2,3\n", 0);
    assert_int_equal(t.nrows, 2);
    assert_row(&t, 0, 1, 3, (const char *[]){"a", "b", "c"});
    assert_row(&t, 1, 2, 3, (const char *[]){"1", "2", "3"});
    mpi_table_free(&t);
    /* 4 tabs against 1 comma: tabs, and the comma stays inside its field */
    t = read_text(dir, "a\tb\tc\n1\t2\t3,5\n", 0);
    assert_row(&t, 1, 2, 3, (const char *[]){"1", "2", "3,5"});
    mpi_table_free(&t);
    /* 4 semicolons against 1 comma (a decimal comma) */
    t = read_text(dir, "a;b;c\n1,5;2;3\n", 0);
    assert_row(&t, 1, 2, 3, (const char *[]){"1,5", "2", "3"});
    mpi_table_free(&t);
    /* delimiters inside quotes do not count: 3 semicolons quoted, 2 commas outside */
    t = read_text(dir, "\"x;y;z;w\",b,c\n", 0);
    assert_row(&t, 0, 1, 3, (const char *[]){"x;y;z;w", "b", "c"});
    mpi_table_free(&t);
    /* a delimiter given by the caller wins over what the bytes suggest */
    t = read_text(dir, "a,b;c,d\n", ';');
    assert_row(&t, 0, 1, 2, (const char *[]){"a,b", "c,d"});
    mpi_table_free(&t);
    /* a single column: no candidate appears, the comma is assumed */
    t = read_text(dir, "one\ntwo\n", 0);
    assert_int_equal(t.nrows, 2);
    assert_row(&t, 1, 2, 1, (const char *[]){"two"});
    mpi_table_free(&t);
    free(dir);
}

static void strips_a_bom_and_spaces(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_table t = read_text(dir, "\xEF\xBB\xBFname,value\n x , \"y\" \n", 0);
    assert_row(&t, 0, 1, 2, (const char *[]){"name", "value"});
    /* spaces around an unquoted field and outside quotes are not part of it */
    assert_row(&t, 1, 2, 2, (const char *[]){"x", "y"});
    mpi_table_free(&t);
    /* CRLF line ends leave no carriage return in the last field */
    t = read_text(dir, "a,b\r\n1,2\r\n", 0);
    assert_int_equal(t.nrows, 2);
    assert_row(&t, 1, 2, 2, (const char *[]){"1", "2"});
    mpi_table_free(&t);
    free(dir);
}

static void reads_quoted_fields(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_table t = read_text(dir,
                            "id,text\n"              /* line 1 */
                            "1,\"hello, world\"\n"   /* line 2 */
                            "2,\"two\nlines\"\n"     /* lines 3-4 */
                            "3,\"say \"\"hi\"\"\"\n" /* line 5 */
                            "4,\"\"\n",              /* line 6 */
                            0);
    assert_int_equal(t.nrows, 5);
    assert_row(&t, 1, 2, 2, (const char *[]){"1", "hello, world"});
    assert_row(&t, 2, 3, 2, (const char *[]){"2", "two\nlines"});
    assert_row(&t, 3, 5, 2, (const char *[]){"3", "say \"hi\""});
    assert_row(&t, 4, 6, 2, (const char *[]){"4", ""});
    mpi_table_free(&t);
    free(dir);
}

/* A row's line is the line it starts on, also when its first field spans
 * lines; blank lines are no rows but count; short rows keep their length. */
static void numbers_rows_by_source_line(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_table t = read_text(dir, "a,b\n\n1,2\n\n\n3\n\"x\ny\",4\n5,6\n", 0);
    assert_int_equal(t.nrows, 5);
    assert_row(&t, 0, 1, 2, (const char *[]){"a", "b"});
    assert_row(&t, 1, 3, 2, (const char *[]){"1", "2"});
    assert_row(&t, 2, 6, 1, (const char *[]){"3"});
    assert_row(&t, 3, 7, 2, (const char *[]){"x\ny", "4"});
    assert_row(&t, 4, 9, 2, (const char *[]){"5", "6"});
    mpi_table_free(&t);
    /* no final line break, a last row of one field */
    t = read_text(dir, "a,b\n1,2\nlast", 0);
    assert_int_equal(t.nrows, 3);
    assert_row(&t, 1, 2, 2, (const char *[]){"1", "2"});
    assert_row(&t, 2, 3, 1, (const char *[]){"last"});
    mpi_table_free(&t);
    free(dir);
}

static void converts_utf16(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    const char *text = "mot\tvolume\r\ncafé crème\t10\r\nthé\t20\r\n";
    const struct {
        int be, bom;
    } kinds[] = {{0, 1}, {1, 1}, {0, 0}, {1, 0}};
    for (size_t k = 0; k < 4; k++) {
        size_t n;
        unsigned char *bytes = test_utf16(text, kinds[k].be, kinds[k].bom, &n);
        char *path = test_write_bytes(dir, "u16.csv", bytes, n);
        free(bytes);
        mpi_table t = read_ok(path, 0);
        assert_int_equal(t.nrows, 3);
        assert_row(&t, 0, 1, 2, (const char *[]){"mot", "volume"});
        assert_row(&t, 1, 2, 2, (const char *[]){"caf\xC3\xA9 cr\xC3\xA8me", "10"});
        assert_row(&t, 2, 3, 2, (const char *[]){"th\xC3\xA9", "20"});
        mpi_table_free(&t);
        free(path);
    }
    /* a lone high surrogate (D800) is no UTF-16 text */
    const unsigned char bad[] = {0xFF, 0xFE, 'a', 0, ',', 0, 0x00, 0xD8, '\n', 0};
    char *path = test_write_bytes(dir, "bad16.csv", bad, sizeof bad);
    mpi_table t;
    assert_int_equal(mpi_table_read(path, 0, &t), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "not valid UTF-16LE text");
    assert_contains(mp_last_error(), "bad16.csv");
    free(path);
    free(dir);
}

static void reads_windows_1252(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    /* as Excel saves a table in western Europe: cp1252, semicolons, decimal commas */
    const char ansi[] = "m\xE9"
                        "dia;co\xFBt\ntv;1\xA0"
                        "234,5\n\x80 radio \x96 FM;2\n";
    char *path = test_write_bytes(dir, "ansi.csv", ansi, sizeof ansi - 1);
    mpi_table t = read_ok(path, 0);
    assert_int_equal(t.nrows, 3);
    assert_row(&t, 0, 1, 2,
               (const char *[]){"m\xC3\xA9"
                                "dia",
                                "co\xC3\xBBt"});
    assert_row(&t, 1, 2, 2,
               (const char *[]){"tv", "1\xC2\xA0"
                                      "234,5"});
    assert_row(&t, 2, 3, 2, (const char *[]){"\xE2\x82\xAC radio \xE2\x80\x93 FM", "2"});
    assert_non_null(strstr(t.note, "ansi.csv: not UTF-8 (line 1): read as Windows-1252"));
    mpi_table_free(&t);
    free(path);
    /* a byte Windows-1252 leaves undefined: refused with its line */
    path = test_write_bytes(dir, "bad.csv", "a;b\nc;\x8D\n", 8);
    assert_int_equal(mpi_table_read(path, 0, &t), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "bad.csv:2: neither UTF-8 nor Windows-1252 (byte 0x8D");
    assert_null(t.note);
    free(path);
    /* UTF-8 gets no note */
    t = read_text(dir,
                  "m\xC3\xA9"
                  "dia\n",
                  0);
    assert_null(t.note);
    mpi_table_free(&t);
    free(dir);
}

static void reports_files_it_cannot_read(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_table t;
    /* an empty file is an empty table */
    char *path = test_write(dir, "empty.csv", "");
    assert_int_equal(mpi_table_read(path, 0, &t), MP_OK);
    assert_int_equal(t.nrows, 0);
    mpi_table_free(&t);
    free(path);
    /* a directory */
    assert_int_equal(mpi_table_read(dir, 0, &t), MP_ERR_IO);
    assert_contains(mp_last_error(), "is a directory");
    assert_int_equal(t.nrows, 0);
    /* a missing file */
    char missing[600];
    snprintf(missing, sizeof missing, "%s/no-such.csv", dir);
    assert_int_equal(mpi_table_read(missing, 0, &t), MP_ERR_IO);
    assert_contains(mp_last_error(), "no-such.csv: cannot open");
    /* a NUL byte that does not look like UTF-16 */
    path = test_write_bytes(dir, "bin.csv", "a,b\n\0x\n", 7);
    assert_int_equal(mpi_table_read(path, 0, &t), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "not a text file");
    free(path);
    /* mpi_table_free on an emptied table is a no-op, and NULL is too */
    mpi_table_free(&t);
    mpi_table_free(NULL);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detects_the_delimiter),
        cmocka_unit_test(strips_a_bom_and_spaces),
        cmocka_unit_test(reads_quoted_fields),
        cmocka_unit_test(numbers_rows_by_source_line),
        cmocka_unit_test(converts_utf16),
        cmocka_unit_test(reads_windows_1252),
        cmocka_unit_test(reports_files_it_cannot_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
