/* Text encodings (engine/base/utf8.c): UTF-8 validation (overlong forms,
 * surrogates, code points above U+10FFFF, truncated sequences), cutting on a
 * character boundary, Windows-1252 and UTF-16 to UTF-8, and the decoding of a
 * file's text with its note or its refusal. Expected bytes are the UTF-8 of
 * the code points of the Unicode mapping table cp1252.txt, written by hand. */
#include "helpers.h"

#include "adapters.h"
#include "json.h"

/* A string literal and its length in bytes (NULs included). */
#define LIT(s) s, sizeof(s) - 1

static size_t valid_len(const char *s)
{
    return mpi_utf8_valid_len(s, strlen(s));
}

static void validates_utf8(void **state)
{
    (void)state;
    /* valid: ASCII, 2, 3 and 4 bytes, the edges of each range */
    const char *good[] = {"",
                          "plain",
                          "\xC3\xA9t\xC3\xA9", /* été */
                          "\xE2\x80\x94",      /* U+2014 em dash */
                          "\xE2\x82\xAC",      /* U+20AC euro */
                          "\xF0\x9F\x98\x80",  /* U+1F600 */
                          "\xC2\x80",          /* U+0080, the first 2-byte */
                          "\xE0\xA0\x80",      /* U+0800, the first 3-byte */
                          "\xED\x9F\xBF",      /* U+D7FF, below the surrogates */
                          "\xEE\x80\x80",      /* U+E000, above them */
                          "\xEF\xBF\xBF",      /* U+FFFF */
                          "\xF0\x90\x80\x80",  /* U+10000, the first 4-byte */
                          "\xF4\x8F\xBF\xBF"}; /* U+10FFFF, the last */
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        assert_int_equal(valid_len(good[i]), strlen(good[i]));
        assert_true(mpi_utf8_valid(good[i]));
    }
    /* invalid, with the length of the valid prefix */
    struct {
        const char *s;
        size_t ok;
    } bad[] = {
        {"caf\xE9", 3},          /* é in Windows-1252 */
        {"ab\x80", 2},           /* a continuation byte first */
        {"\xC0\xAF", 0},         /* overlong '/' */
        {"\xC1\xBF", 0},         /* overlong */
        {"\xE0\x80\xAF", 0},     /* overlong 3-byte */
        {"\xE0\x9F\xBF", 0},     /* overlong: U+07FF in 3 bytes */
        {"\xF0\x80\x80\xAF", 0}, /* overlong 4-byte */
        {"\xF0\x8F\xBF\xBF", 0}, /* overlong: U+FFFF in 4 bytes */
        {"x\xED\xA0\x80", 1},    /* U+D800, a surrogate */
        {"\xED\xBF\xBF", 0},     /* U+DFFF */
        {"\xF4\x90\x80\x80", 0}, /* U+110000 */
        {"\xF5\x80\x80\x80", 0}, /* no such lead byte */
        {"\xFF", 0},             /* nor this */
        {"\xC3", 0},             /* truncated */
        {"ok\xE2\x82", 2},       /* truncated euro */
        {"\xE2\x82\x41", 0},     /* a 3-byte sequence broken by ASCII */
        {"\xF0\x9F\x98", 0},     /* truncated 4-byte */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(valid_len(bad[i].s), bad[i].ok);
        assert_false(mpi_utf8_valid(bad[i].s));
    }
    assert_false(mpi_utf8_valid(NULL));
}

static void cuts_on_a_character_boundary(void **state)
{
    (void)state;
    const char *s = "a\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80"; /* a é — U+1F600 */
    const size_t expect[] = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10};
    for (size_t n = 0; n <= 10; n++)
        assert_int_equal(mpi_utf8_floor(s, n), expect[n]);
}

/* Cutting to a count of UTF-16 units (Excel's cell limit): a, é and — are one unit each,
 * U+1F600 two; a cut never splits a character. */
static void cuts_to_utf16_units(void **state)
{
    (void)state;
    const char *s = "a\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80"; /* a é — U+1F600: 5 units */
    const size_t expect[] = {0, 1, 3, 6, 6, 10, 10};         /* bytes, by max_units */
    for (size_t m = 0; m <= 6; m++) {
        size_t units = 0;
        assert_int_equal(mpi_utf8_cut_units(s, m, &units), expect[m]);
        assert_int_equal(units, 5);
    }
    size_t units = 9;
    assert_int_equal(mpi_utf8_cut_units("", 3, &units), 0);
    assert_int_equal(units, 0);
}

static char *cp1252(const char *in, size_t n)
{
    char *out = NULL;
    size_t len = 0, bad = 99;
    assert_int_equal(mpi_cp1252_to_utf8(in, n, &out, &len, &bad), MP_OK);
    assert_int_equal(strlen(out), len);
    return out;
}

static void converts_windows_1252(void **state)
{
    (void)state;
    /* "Lancement été — Crêpes" as Windows writes it */
    const char *ansi = "Lancement \xE9t\xE9 \x97 Cr\xEApes";
    char *u = cp1252(ansi, strlen(ansi));
    assert_string_equal(u, "Lancement \xC3\xA9t\xC3\xA9 \xE2\x80\x94 Cr\xC3\xAApes");
    free(u);
    /* the bytes where Windows-1252 and Latin-1 differ */
    struct {
        unsigned char b;
        const char *utf8;
    } specials[] = {
        {0x80, "\xE2\x82\xAC"}, /* euro */
        {0x82, "\xE2\x80\x9A"}, /* single low-9 quote */
        {0x83, "\xC6\x92"},     /* f with hook */
        {0x85, "\xE2\x80\xA6"}, /* ellipsis */
        {0x8A, "\xC5\xA0"},     /* S caron */
        {0x8C, "\xC5\x92"},     /* OE */
        {0x92, "\xE2\x80\x99"}, /* right single quote */
        {0x93, "\xE2\x80\x9C"}, /* left double quote */
        {0x96, "\xE2\x80\x93"}, /* en dash */
        {0x97, "\xE2\x80\x94"}, /* em dash */
        {0x99, "\xE2\x84\xA2"}, /* trade mark */
        {0x9C, "\xC5\x93"},     /* oe */
        {0x9F, "\xC5\xB8"},     /* Y diaeresis */
        {0xA0, "\xC2\xA0"},     /* no-break space, as in Latin-1 */
        {0xE9, "\xC3\xA9"},     /* é */
        {0xFF, "\xC3\xBF"},     /* ÿ */
    };
    for (size_t i = 0; i < sizeof specials / sizeof *specials; i++) {
        char in[1] = {(char)specials[i].b};
        u = cp1252(in, 1);
        assert_string_equal(u, specials[i].utf8);
        free(u);
    }
    /* the five bytes Windows-1252 leaves undefined */
    const unsigned char undefined[] = {0x81, 0x8D, 0x8F, 0x90, 0x9D};
    for (size_t i = 0; i < sizeof undefined; i++) {
        char in[3] = {'a', 'b', (char)undefined[i]};
        char *out = NULL;
        size_t len = 0, bad = 0;
        assert_int_equal(mpi_cp1252_to_utf8(in, 3, &out, &len, &bad), MP_ERR_INPUT);
        assert_int_equal(bad, 2);
        assert_null(out);
    }
}

static void converts_utf16(void **state)
{
    (void)state;
    /* "é€" and U+1F600 (surrogates D83D DE00) little- and big-endian */
    const char le[] = "\xE9\x00\xAC\x20\x3D\xD8\x00\xDE";
    const char be[] = "\x00\xE9\x20\xAC\xD8\x3D\xDE\x00";
    for (int big = 0; big < 2; big++) {
        char *out = NULL;
        size_t len = 0, bad = 0;
        assert_int_equal(mpi_utf16_to_utf8(big ? be : le, 8, big, &out, &len, &bad), MP_OK);
        assert_string_equal(out, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
        assert_int_equal(len, 9);
        free(out);
    }
    struct {
        const char *s;
        size_t n, bad;
    } bad[] = {
        {"a\x00\x3D\xD8", 4, 2}, /* a high surrogate at the end */
        {"a\x00\x3D\xD8"
         "b\x00",
         6, 2},             /* one followed by no low surrogate */
        {"\x00\xDE", 2, 0}, /* a low surrogate alone */
        {"a\x00"
         "b",
         3, 2}, /* an odd byte */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *out = NULL;
        size_t len = 0, at = 99;
        assert_int_equal(mpi_utf16_to_utf8(bad[i].s, bad[i].n, 0, &out, &len, &at), MP_ERR_INPUT);
        assert_int_equal(at, bad[i].bad);
        assert_null(out);
    }
}

/* Decode text; the result must be valid UTF-8 equal to expect. */
static void decodes_to(const char *in, size_t n, const char *expect, const char *note)
{
    mpi_text t;
    mp_status st = mpi_text_decode("f.ini", in, n, &t);
    if (st != MP_OK)
        fail_msg("%s", mp_last_error());
    assert_int_equal(t.n, strlen(expect));
    assert_memory_equal(t.p, expect, t.n);
    if (note)
        assert_string_equal(t.note, note);
    else
        assert_null(t.note);
    mpi_text_free(&t);
}

static void decodes_a_file(void **state)
{
    (void)state;
    const char *want = "k = \xC3\xA9t\xC3\xA9\n";
    decodes_to(want, strlen(want), want, NULL);
    decodes_to(LIT("\xEF\xBB\xBFk = \xC3\xA9t\xC3\xA9\n"), want, NULL); /* BOM dropped */
    decodes_to(LIT("\xFF\xFEk\0 \0=\0 \0\xE9\0t\0\xE9\0\n\0"), want, NULL);
    decodes_to(LIT("\xFE\xFF\0k\0 \0=\0 \0\xE9\0t\0\xE9\0\n"), want, NULL);
    decodes_to(LIT("k\0 \0=\0 \0\xE9\0t\0\xE9\0\n\0"), want, NULL); /* no BOM */
    decodes_to(LIT("a = 1\nk = \xE9t\xE9\n"), "a = 1\nk = \xC3\xA9t\xC3\xA9\n",
               "f.ini: not UTF-8 (line 2): read as Windows-1252 (Latin-1)");
    decodes_to(LIT(""), "", NULL);
    mpi_text_free(NULL);
}

static void refuse(const char *in, size_t n, const char *part)
{
    mpi_text t;
    assert_int_equal(mpi_text_decode("f.ini", in, n, &t), MP_ERR_INPUT);
    assert_contains(mp_last_error(), part);
    assert_null(t.owned);
    assert_null(t.note);
    assert_true(mpi_utf8_valid(mp_last_error()));
}

static void refuses_what_it_cannot_read(void **state)
{
    (void)state;
    refuse(LIT("a\nb\nc = \x81\n"),
           "f.ini:3: neither UTF-8 nor Windows-1252 (byte 0x81 is undefined in Windows-1252)");
    refuse(LIT("a = \xE9\n\x9D\n"), "f.ini:2: neither UTF-8 nor Windows-1252 (byte 0x9D");
    refuse(LIT("\xC3\xA9\nb = \xE9\n"), "f.ini:2: not valid UTF-8 (byte 0xE9) although other "
                                        "characters are: the file mixes encodings");
    refuse(LIT("\xEF\xBB\xBF\n\xE9\n"), "f.ini:2: not valid UTF-8 (byte 0xE9) although the file "
                                        "starts with a UTF-8 byte order mark");
    refuse(LIT("\xFF\xFE"
               "a\0\n\0\x00\xD8"),
           "f.ini:2: not valid UTF-16LE text (at byte 6)");
    refuse(LIT("a\0b\n"), "f.ini: not a text file (it contains NUL bytes)");
    refuse(LIT("\xFF\xFE"
               "a\0\0\0"),
           "not a text file"); /* U+0000 */
}

/* Messages and notes are cut when too long for their buffers, never inside a
 * character (the buffers hold an odd number of bytes: a cut after 2-byte
 * characters from the start falls inside one). */
static void cuts_messages_between_characters(void **state)
{
    (void)state;
    char text[6001];
    for (size_t i = 0; i + 2 < sizeof text; i += 2)
        memcpy(text + i, "\xC3\xA9", 2);
    text[sizeof text - 1] = '\0';
    assert_int_equal(mpi_fail(MP_ERR_INPUT, "%s", text), MP_ERR_INPUT);
    assert_true(strlen(mp_last_error()) > 1000);
    assert_true(mpi_utf8_valid(mp_last_error()));
    mpi_loc loc = {NULL, 0, NULL}; /* the message as formatted, cut at its own buffer */
    mpi_fail_at(MP_ERR_INPUT, &loc, "%s", text);
    assert_true(mpi_utf8_valid(mp_last_error()));
    mpi_diag d = {0};
    assert_int_equal(mpi_note(&d, "%s", text), MP_OK);
    assert_int_equal(mpi_warn(&d, "%s", text), MP_OK);
    assert_true(mpi_utf8_valid(d.notes.v[0]) && mpi_utf8_valid(d.warn.v[0]));
    assert_true(strlen(d.notes.v[0]) > 1000);
    mpi_diag_free(&d);
}

static void scrubs_what_is_not_utf8(void **state)
{
    (void)state;
    char s[] = "ok \xC3\xA9 \xE9t\xE9 \xE2\x82 \xED\xA0\x80";
    mpi_utf8_scrub(s);
    assert_string_equal(s, "ok \xC3\xA9 ?t? ?? ???");
    mpi_utf8_scrub(NULL);
    /* messages quoting such text are scrubbed */
    mpi_fail(MP_ERR_IO, "%s: cannot open", "/tmp/\xE9t\xE9.ini");
    assert_string_equal(mp_last_error(), "/tmp/?t?.ini: cannot open");
}

/* Text entering through the API: a plan's path and base directory must be
 * UTF-8, a buffer's text is decoded as a file's is, what-if axes and the
 * keywords report's paths must be UTF-8. */
static void validates_text_from_the_api(void **state)
{
    (void)state;
    const char plan_text[] = "[plan]\nname = Cr\xEApes \x97 \xE9t\xE9\nbudget = 100k\n"
                             "start = 2027-03-01\n[channel \"x\"]\ntype = curve\n"
                             "curve = michaelis-menten\nbeta = 90k\nk = 40k\nkpi = revenue\n";
    mp_plan *plan = NULL;
    assert_int_equal(mp_plan_load_buffer(plan_text, sizeof plan_text - 1, "", &plan), MP_OK);
    assert_string_equal(mp_plan_note(plan, 0),
                        "<buffer>: not UTF-8 (line 2): read as Windows-1252 (Latin-1)");
    assert_string_equal(mp_plan_name(plan), "Cr\xC3\xAApes \xE2\x80\x94 \xC3\xA9t\xC3\xA9");
    const char *axes[] = {"budget\xE9=1k,2k"};
    mp_whatif *w = NULL;
    assert_int_equal(mp_whatif_run(plan, axes, 1, NULL, &w), MP_ERR_INPUT);
    assert_string_equal(mp_last_error(), "--vary budget?=1k,2k: not valid UTF-8 text");
    assert_null(w);
    mp_plan_free(plan);
    plan = NULL;
    assert_int_equal(mp_plan_load_buffer(plan_text, sizeof plan_text - 1, "/d\xE9", &plan),
                     MP_ERR_INPUT);
    assert_string_equal(mp_last_error(),
                        "/d?: the path is not valid UTF-8: rename the file or folder");
    assert_null(plan);
    char *dir = test_tmpdir();
    char name[] = "\xE9t\xE9.ini";
    char *path = test_write_bytes(dir, name, plan_text, sizeof plan_text - 1);
    assert_int_equal(mp_plan_load(path, &plan), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "/?t?.ini: the path is not valid UTF-8");
    assert_null(plan);
    FILE *sink = fopen("/dev/null", "w");
    assert_int_equal(mp_keywords_report(path, NULL, 0, sink, sink), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "?t?.ini: the path is not valid UTF-8");
    fclose(sink);
    remove(path);
    free(path);
    rmdir(dir);
    free(dir);
}

/* Every allocation of a Windows-1252 plan's loading made to fail in turn:
 * each run ends with MP_ERR_NOMEM, or succeeds when the failed allocation
 * was retried. */
static void survives_failing_allocations(void **state)
{
    (void)state;
    const char text[] = "[plan]\nname = Cr\xEApes\nbudget = 100k\nstart = 2027-03-01\n"
                        "[channel \"x\"]\ntype = curve\ncurve = michaelis-menten\n"
                        "beta = 90k\nk = 40k\nkpi = revenue\n";
    char *dir = test_tmpdir();
    char *csv = test_write(dir, "t.csv", "d\xE9pense;r\xE9ponse\n0;0\n");
    for (unsigned long n = 1;; n++) {
        mp_plan *plan = NULL;
        mpi_table t;
        mpi_alloc_fail_at(n);
        mp_status a = mp_plan_load_buffer(text, sizeof text - 1, "", &plan);
        mpi_alloc_fail_at(n);
        mp_status b = mpi_table_read(csv, 0, &t);
        mpi_alloc_fail_at(0);
        assert_true(a == MP_OK || a == MP_ERR_NOMEM);
        assert_true(b == MP_OK || b == MP_ERR_NOMEM);
        mp_plan_free(plan);
        if (b == MP_OK)
            mpi_table_free(&t);
        if (a == MP_OK && b == MP_OK)
            break;
    }
    remove(csv);
    free(csv);
    rmdir(dir);
    free(dir);
}

/* The JSON writer's last line of defence: a string that is not UTF-8 (which
 * every entry point refuses or converts) is written scrubbed, never as is. */
static void json_strings_are_utf8(void **state)
{
    (void)state;
    mpi_json *j = mpi_json_new();
    assert_non_null(j);
    mpi_json_str(j, mpi_json_root(j), "name", "Cr\xEApes \xC3\xA9t\xC3\xA9");
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_int_equal(mpi_json_write_to(j, mem), MP_OK);
    fclose(mem);
    assert_true(mpi_utf8_valid(buf));
    assert_non_null(strstr(buf, "\"Cr?pes \xC3\xA9t\xC3\xA9\""));
    free(buf);
    mpi_json_free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(validates_utf8),
        cmocka_unit_test(cuts_on_a_character_boundary),
        cmocka_unit_test(cuts_to_utf16_units),
        cmocka_unit_test(converts_windows_1252),
        cmocka_unit_test(converts_utf16),
        cmocka_unit_test(decodes_a_file),
        cmocka_unit_test(refuses_what_it_cannot_read),
        cmocka_unit_test(cuts_messages_between_characters),
        cmocka_unit_test(scrubs_what_is_not_utf8),
        cmocka_unit_test(validates_text_from_the_api),
        cmocka_unit_test(survives_failing_allocations),
        cmocka_unit_test(json_strings_are_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
