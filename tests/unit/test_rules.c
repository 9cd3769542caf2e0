/* Keyword rules (engine/adapters/rules.c): groups and [exclude] in file
 * order, overrides with their lines, continuation lines, patterns that do not
 * compile, and a catastrophic pattern stopped by the match limit. */
#include "helpers.h"

#include "adapters.h"

static mpi_rules *load_ok(const char *dir, const char *text)
{
    char *path = test_write(dir, "rules.ini", text);
    mpi_rules *rs = NULL;
    mp_status st = mpi_rules_load(path, &rs);
    if (st != MP_OK)
        fprintf(stderr, "%s\n", mp_last_error());
    assert_int_equal(st, MP_OK);
    assert_non_null(rs);
    assert_string_equal(mpi_rules_path(rs), path);
    free(path);
    return rs;
}

static mp_status load_fails(const char *dir, const char *text)
{
    char *path = test_write(dir, "rules.ini", text);
    mpi_rules *rs = (mpi_rules *)path; /* must be reset */
    mp_status st = mpi_rules_load(path, &rs);
    assert_null(rs);
    free(path);
    return st;
}

static int classify(mpi_rules *rs, const char *text)
{
    int g = 12345;
    assert_int_equal(mpi_rules_classify(rs, text, &g), MP_OK);
    return g;
}

static const char *const groups_text = "; first match wins\n"
                                       "[group \"brand\"]\n"                   /* 2 */
                                       "match = (?i)\\bmaison\\s+lorient\\b\n" /* 3 */
                                       "cvr = 6%\n"                            /* 4 */
                                       "ctr = 12%   ; brand searchers click\n" /* 5 */
                                       "[exclude]\n"                           /* 6 */
                                       "match = (?i)\\b(gratuit|emploi)\\b\n"  /* 7 */
                                       "[group \"generic\"]\n"                 /* 8 */
                                       "match = (?i)chaussure\n"               /* 9 */
                                       "[group \"accents\"]\n"                 /* 10 */
                                       "match = (?i)^\\w+ élan$\n";            /* 11 */

static void classifies_in_file_order(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_rules *rs = load_ok(dir, groups_text);
    assert_int_equal(mpi_rules_count(rs), 4);
    assert_string_equal(mpi_rules_name(rs, 0), "brand");
    assert_null(mpi_rules_name(rs, 1)); /* [exclude] */
    assert_string_equal(mpi_rules_name(rs, 2), "generic");
    assert_string_equal(mpi_rules_name(rs, 3), "accents");
    assert_null(mpi_rules_name(rs, 4));
    /* both brand and generic match: the first in the file wins */
    assert_int_equal(classify(rs, "chaussure Maison  Lorient"), 0);
    assert_int_equal(classify(rs, "CHAUSSURE running"), 2);
    /* [exclude] is tried before any group, wherever it stands */
    assert_int_equal(classify(rs, "maison lorient emploi"), MPI_RULES_EXCLUDED);
    assert_int_equal(classify(rs, "chaussure gratuite"), 2); /* \b: "gratuite" is no "gratuit" */
    assert_int_equal(classify(rs, "montre gps"), MPI_RULES_UNMATCHED);
    assert_int_equal(classify(rs, ""), MPI_RULES_UNMATCHED);
    /* UTF-8 with Unicode properties: \w takes accented letters, (?i) folds É */
    assert_int_equal(classify(rs, "crème ÉLAN"), 3);
    /* a long text (the subject buffer grows) */
    char longer[400];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    memcpy(longer + 200, "chaussure", 9);
    assert_int_equal(classify(rs, longer), 2);
    assert_int_equal(classify(rs, "maison lorient"), 0);
    mpi_rules_free(rs);
    mpi_rules_free(NULL);
    free(dir);
}

static void keeps_overrides_with_their_lines(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_rules *rs = load_ok(dir, groups_text);
    const char *key = NULL, *value = NULL;
    int line = 0;
    assert_int_equal(mpi_rules_kv(rs, 0, 0, &key, &value, &line), 2);
    assert_string_equal(key, "cvr");
    assert_string_equal(value, "6%");
    assert_int_equal(line, 4);
    assert_int_equal(mpi_rules_kv(rs, 0, 1, &key, &value, &line), 2);
    assert_string_equal(key, "ctr");
    assert_string_equal(value, "12%"); /* the comment is not part of it */
    assert_int_equal(line, 5);
    /* past the last override: the count, nothing written */
    key = value = NULL;
    assert_int_equal(mpi_rules_kv(rs, 0, 2, &key, &value, &line), 2);
    assert_null(key);
    assert_int_equal(mpi_rules_kv(rs, 2, 0, &key, &value, &line), 0);
    assert_int_equal(mpi_rules_kv(rs, 9, 0, &key, &value, &line), 0);
    mpi_rules_free(rs);
    free(dir);
}

/* An indented line continues the pattern above it (joined as written), and
 * a section named twice is the same rule. */
static void joins_continuation_lines(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_rules *rs = load_ok(dir, "[group \"competitor\"]\n"
                                 "match = (?i)\\b(nike|asics\n"
                                 "    |salomon|hoka\n"
                                 "    )\\b\n"
                                 "[group \"other\"]\n"
                                 "match = .\n"
                                 "[group \"competitor\"]\n"
                                 "max_cpc = 2.5\n");
    assert_int_equal(mpi_rules_count(rs), 2);
    assert_int_equal(classify(rs, "hoka speedgoat"), 0);
    assert_int_equal(classify(rs, "Nike pegasus"), 0);
    assert_int_equal(classify(rs, "hokas"), 1); /* the \b of the last line holds */
    const char *key, *value;
    int line;
    assert_int_equal(mpi_rules_kv(rs, 0, 0, &key, &value, &line), 1);
    assert_string_equal(key, "max_cpc");
    assert_int_equal(line, 8);
    mpi_rules_free(rs);
    free(dir);
}

static void reports_bad_files(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    assert_int_equal(load_fails(dir, "[group \"a\"]\nmatch = (?i)(unclosed\n"), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "rules.ini:2: match: pattern \"(?i)(unclosed\" does not "
                                     "compile at offset 13: missing closing parenthesis");
    assert_int_equal(load_fails(dir, "[group \"a\"]\nmatch = a\nmatch = b\n"), MP_ERR_INPUT);
    assert_contains(mp_last_error(),
                    "rules.ini:3: match: a second match in the same group (join them with |)");
    assert_int_equal(load_fails(dir, "[group \"a\"]\nmatch = a\ncvr = 1%\ncvr = 2%\n"),
                     MP_ERR_INPUT);
    assert_contains(mp_last_error(), "rules.ini:4: cvr: duplicate key (first set at line 3)");
    assert_int_equal(load_fails(dir, "[exclude]\nmatch = a\ncvr = 1%\n"), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "rules.ini:3: cvr: [exclude] takes only match");
    assert_int_equal(load_fails(dir, "[groups]\nmatch = a\n"), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "rules.ini:2: expected [group \"name\"] or [exclude]");
    assert_contains(mp_last_error(), "got [groups]");
    assert_int_equal(load_fails(dir, "[group \"\"]\nmatch = a\n"), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "got [group \"\"]");
    char text[256];
    snprintf(text, sizeof text, "[group \"%065d\"]\nmatch = a\n", 0); /* 65 characters */
    assert_int_equal(load_fails(dir, text), MP_ERR_LIMIT);            /* refused, never cut */
    assert_contains(mp_last_error(), "rules.ini:1: the name \"0000");
    assert_contains(mp_last_error(), "\" is 65 characters long: a name holds at most 64");
    assert_int_equal(load_fails(dir, "[group \"a\"]\nmatch = a\n[group \"b\"]\ncvr = 1%\n"),
                     MP_ERR_INPUT);
    assert_contains(mp_last_error(), "rules.ini:4: match: group \"b\" has no match pattern");
    assert_int_equal(load_fails(dir, "; nothing\n"), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "no [group \"name\"] section");
    assert_int_equal(load_fails(dir, "match = a\n"), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "expected [group \"name\"] or [exclude]");
    char missing[600];
    snprintf(missing, sizeof missing, "%s/none.ini", dir);
    mpi_rules *rs = NULL;
    assert_int_equal(mpi_rules_load(missing, &rs), MP_ERR_IO);
    assert_null(rs);
    free(dir);
}

/* (a+)+$ against a run of a's that ends in b backtracks 2^n ways: the match
 * limit stops it with a message naming the pattern, and the rules stay
 * usable. */
/* A pattern slow on every keyword but under the per-match limit (each match below takes
 * 2^14 backtracking paths, far under a million steps) stops the classification once the
 * slow matches' work passes the bound, naming the rule; ordinary patterns are never charged
 * (a bound of 0 lets them through). The loop allows a million keywords, as a large export
 * would have; the bound stops it after a few thousand. */
static void bounds_the_whole_classification(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_rules *rs = load_ok(dir, "[group \"slow\"]\nmatch = (a+)+$\n");
    char text[64];
    mp_status st = MP_OK;
    long i = 0;
    int g = 0;
    for (; i < 1000000 && st == MP_OK; i++) {
        snprintf(text, sizeof text, "aaaaaaaaaaaaaa! w%ld", i);
        st = mpi_rules_classify(rs, text, &g);
    }
    assert_int_equal(st, MP_ERR_LIMIT);
    assert_true(i > 100 && i < 1000000);
    assert_contains(mp_last_error(), "rules.ini:2: match: pattern \"(a+)+$\" needs too much work");
    assert_contains(mp_last_error(), "(simplify the pattern)");
    mpi_rules_free(rs);

    rs = load_ok(dir, "[exclude]\nmatch = (?i)\\bgratuit\\b\n"
                      "[group \"competitor\"]\nmatch = (?i)\\b(nike|asics|hoka)\\b\n"
                      "[group \"other\"]\nmatch = .\n");
    mpi_rules_set_work_limit(rs, 0);
    for (i = 0; i < 10000; i++) {
        snprintf(text, sizeof text, "chaussures running homme trail %ld nike", i);
        assert_int_equal(classify(rs, text), 1);
    }
    mpi_rules_set_work_limit(NULL, 0); /* a no-op */
    mpi_rules_free(rs);
    free(dir);
}

static void stops_a_catastrophic_pattern(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_rules *rs = load_ok(dir, "[group \"slow\"]\nmatch = ^(a+)+$\n[group \"any\"]\nmatch = .\n");
    char text[64];
    memset(text, 'a', 40);
    strcpy(text + 40, "b");
    int g = 12345;
    assert_int_equal(mpi_rules_classify(rs, text, &g), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "rules.ini:2: match: pattern \"^(a+)+$\" failed on "
                                     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\"");
    assert_contains(mp_last_error(), "limit");
    assert_contains(mp_last_error(), "(simplify the pattern)");
    assert_int_equal(g, MPI_RULES_UNMATCHED);
    /* a text that is quick to decide still works */
    assert_int_equal(classify(rs, "aaaa"), 0);
    assert_int_equal(classify(rs, "b"), 1);
    /* a long text is cut in the message */
    char longer[200];
    memset(longer, 'a', 150);
    strcpy(longer + 150, "b");
    assert_int_equal(mpi_rules_classify(rs, longer, &g), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "aaaa...\": ");
    mpi_rules_free(rs);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(classifies_in_file_order),
        cmocka_unit_test(keeps_overrides_with_their_lines),
        cmocka_unit_test(joins_continuation_lines),
        cmocka_unit_test(reports_bad_files),
        cmocka_unit_test(stops_a_catastrophic_pattern),
        cmocka_unit_test(bounds_the_whole_classification),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
