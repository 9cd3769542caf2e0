/* The Keyword Planner reader (engine/adapters/kwp.c, mpi_kwp_load): English
 * and French headers, localised and bucketed numbers, top-of-page bids,
 * "Searches: Mon YYYY" columns, the currency check, skipped rows reported as
 * warnings, and the end of the export's date range. Expected figures are
 * read off the inputs by hand; day numbers are days since 1970-01-01 from
 * Python's datetime (2026-06-01 is day 20605). */
#include "helpers.h"

#include "adapters.h"
#include "xorshift.h"

#define JUNE_1_2026 20605L /* (date(2026, 6, 1) - date(1970, 1, 1)).days */

static void assert_near(double got, double want)
{
    if (!(fabs(got - want) <= 1e-9 * (fabs(want) + 1))) {
        fprintf(stderr, "expected %.12g, got %.12g\n", want, got);
        fail();
    }
}

static const mpi_keyword *find_kw(const mpi_kwp *k, const char *text)
{
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->kw[i].text, text))
            return &k->kw[i];
    fprintf(stderr, "no keyword \"%s\"\n", text);
    fail();
    return NULL;
}

static mp_status load_text(const char *dir, const char *text, const char *currency,
                           mpi_strlist *warn, mpi_kwp *out)
{
    char *path = test_write(dir, "kwp.csv", text);
    mp_status st = mpi_kwp_load(path, currency, warn, out);
    free(path);
    return st;
}

/* The sample export in the repository (UTF-8, tabs, a title and a date range
 * above the header; "csr consulting" has no bids and drops its last cells). */
static void check_uk_sample(const mpi_kwp *k, int first_line)
{
    assert_int_equal(k->n, 13);
    assert_int_equal(k->skipped, 0);
    assert_string_equal(k->currency, "GBP");
    assert_int_equal(k->data_day, JUNE_1_2026);
    const mpi_keyword *w = &k->kw[0];
    assert_string_equal(w->text, "business consultant uk");
    assert_int_equal(w->line, first_line);
    assert_near(w->volume, 500);
    assert_true(w->flags & MPI_KW_BUCKETED); /* Keyword Planner rounds to 50, 500, 5000 */
    assert_near(w->bid_lo, 3.50);
    assert_near(w->bid_hi, 14.79);
    assert_near(w->competition, 32);
    for (int m = 0; m < 12; m++)
        assert_true(w->monthly[m] < 0); /* no monthly columns */
    w = find_kw(k, "csr consulting");
    assert_int_equal(w->line, first_line + 8);
    assert_near(w->volume, 50);
    assert_true(w->bid_lo < 0 && w->bid_hi < 0);
    assert_near(w->competition, 10);
    w = find_kw(k, "private dental clinic");
    assert_near(w->bid_lo, 5.00);
    assert_near(w->bid_hi, 6.38);
    assert_int_equal(w->group_id, -1);
    assert_string_equal(w->group, "");
}

static void reads_the_uk_sample(void **state)
{
    (void)state;
    mpi_kwp k;
    mpi_strlist warn = {0};
    assert_int_equal(mpi_kwp_load(MP_FIXTURES "/kwp_uk_sample.csv", "gbp", &warn, &k), MP_OK);
    check_uk_sample(&k, 4);
    assert_int_equal(warn.n, 0);
    mpi_kwp_free(&k);
    mpi_kwp_free(&k); /* a freed export frees as empty */
    /* the same text as Keyword Planner downloads it: UTF-16LE, BOM, CRLF */
    char *utf8;
    size_t len;
    FILE *f = fopen(MP_FIXTURES "/kwp_uk_sample.csv", "rb");
    assert_non_null(f);
    utf8 = calloc(1, 1 << 16);
    len = fread(utf8, 1, (1 << 16) - 1, f);
    fclose(f);
    char *crlf = calloc(1, 2 * len + 1);
    for (size_t i = 0, o = 0; i < len; i++) {
        if (utf8[i] == '\n')
            crlf[o++] = '\r';
        crlf[o++] = utf8[i];
    }
    size_t n;
    unsigned char *u16 = test_utf16(crlf, 0, 1, &n);
    char *dir = test_tmpdir();
    char *path = test_write_bytes(dir, "uk16.csv", u16, n);
    assert_int_equal(mpi_kwp_load(path, NULL, NULL, &k), MP_OK);
    check_uk_sample(&k, 4);
    mpi_kwp_free(&k);
    free(path);
    free(u16);
    free(crlf);
    free(utf8);
    mpi_strlist_free(&warn);
    free(dir);
}

/* English monthly columns: "Searches: Jun 2025" is June (index 5); with two
 * columns for the same month the later (more recent) one counts. */
static void reads_monthly_columns(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_kwp k;
    assert_int_equal(load_text(dir,
                               "Keyword,Avg. monthly searches,Searches: Jun 2024,"
                               "Searches: Jun 2025,Searches: Dec 2025,Searches: Jan 2026\n"
                               "running shoes,\"1,200\",700,900,1500,800\n"
                               "trail shoes,480,--,40,,60\n",
                               NULL, NULL, &k),
                     MP_OK);
    assert_int_equal(k.n, 2);
    assert_null(k.currency); /* no Currency column */
    assert_int_equal(k.data_day, -1);
    const mpi_keyword *w = &k.kw[0];
    assert_near(w->volume, 1200);             /* a thousands comma */
    assert_false(w->flags & MPI_KW_BUCKETED); /* not 10^k or 5 x 10^k */
    assert_near(w->monthly[5], 900);          /* Jun 2025 over Jun 2024 */
    assert_near(w->monthly[11], 1500);
    assert_near(w->monthly[0], 800);
    assert_true(w->monthly[1] < 0 && w->monthly[6] < 0);
    w = &k.kw[1];
    assert_near(w->volume, 480);
    assert_false(w->flags & MPI_KW_BUCKETED);
    assert_near(w->monthly[5], 40);
    assert_true(w->monthly[11] < 0); /* empty */
    assert_near(w->monthly[0], 60);
    assert_true(w->bid_lo < 0 && w->competition < 0); /* no such columns */
    mpi_kwp_free(&k);
    free(dir);
}

/* The French interface: semicolons, decimal commas, spaces and no-break
 * spaces as thousands separators, competition as a word, accented month
 * abbreviations and a date range with an en dash. */
static void reads_a_french_export(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_kwp k;
    mpi_strlist warn = {0};
    const char *text =
        "Statistiques sur les mots clés\n"
        "1 juin 2025 \xE2\x80\x93 31 mai 2026\n"
        "Mot clé;Devise;Nombre moyen de recherches mensuelles;Concurrence;"
        "Enchère en haut de page (plage basse);Enchère en haut de page (plage haute);"
        "Recherches : janv. 2026;Recherches : févr. 2026;Recherches : août 2025\n"
        "chaussures running;EUR;5 000;Élevée;0,45;1,27;4\xC2\xA0"
        "800;5 100;3 900\n"
        "chaussure trail;EUR;1K \xE2\x80\x93 10K;Faible;0,30;0,95;;;\n"
        "basket homme;EUR;100 - 1000;Moyenne;;;10;20;30\n";
    assert_int_equal(load_text(dir, text, "EUR", &warn, &k), MP_OK);
    assert_int_equal(k.n, 3);
    assert_string_equal(k.currency, "EUR");
    assert_int_equal(k.data_day, JUNE_1_2026);
    const mpi_keyword *w = find_kw(&k, "chaussures running");
    assert_int_equal(w->line, 4);
    assert_near(w->volume, 5000);
    assert_true(w->flags & MPI_KW_BUCKETED);
    assert_near(w->competition, 500.0 / 6); /* "high": the middle of the top third */
    assert_near(w->bid_lo, 0.45);
    assert_near(w->bid_hi, 1.27);
    assert_near(w->monthly[0], 4800);
    assert_near(w->monthly[1], 5100);
    assert_near(w->monthly[7], 3900);
    /* a range of volumes: its geometric middle, flagged */
    w = find_kw(&k, "chaussure trail");
    assert_near(w->volume, sqrt(1000.0 * 10000.0));
    assert_true(w->flags & MPI_KW_BUCKETED);
    assert_near(w->competition, 100.0 / 6);
    assert_near(w->bid_lo, 0.30);
    assert_near(w->bid_hi, 0.95);
    w = find_kw(&k, "basket homme");
    assert_near(w->volume, sqrt(100.0 * 1000.0));
    assert_near(w->competition, 50);
    assert_true(w->bid_lo < 0 && w->bid_hi < 0);
    assert_near(w->monthly[7], 30);
    assert_int_equal(warn.n, 0);
    mpi_kwp_free(&k);
    mpi_strlist_free(&warn);
    free(dir);
}

/* Decimal commas with one digit after the comma, as a spreadsheet writes
 * 0.5 and 1.5 once it drops the trailing zero: "0,5" is a half, never 5, and
 * "1,5" one and a half, never 15 (a thousands comma has three digits). */
static void reads_one_decimal_commas(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_kwp k;
    mpi_strlist warn = {0};
    const char *text = "Keyword;Currency;Avg. monthly searches;Competition;"
                       "Top of page bid (low range);Top of page bid (high range)\n"
                       "trail shoes;EUR;1 210;Low;0,5;1,5\n"
                       "road shoes;EUR;2,300;Low;\"0,7\";\"2,25\"\n";
    assert_int_equal(load_text(dir, text, "EUR", &warn, &k), MP_OK);
    assert_int_equal(k.n, 2);
    const mpi_keyword *w = find_kw(&k, "trail shoes");
    assert_near(w->volume, 1210);
    assert_near(w->bid_lo, 0.5);
    assert_near(w->bid_hi, 1.5);
    w = find_kw(&k, "road shoes");
    assert_near(w->volume, 2300);
    assert_near(w->bid_lo, 0.7);
    assert_near(w->bid_hi, 2.25);
    mpi_kwp_free(&k);
    mpi_strlist_free(&warn);
    free(dir);
}

static void checks_the_currency(void **state)
{
    (void)state;
    mpi_kwp k;
    assert_int_equal(mpi_kwp_load(MP_FIXTURES "/kwp_uk_sample.csv", "EUR", NULL, &k), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "kwp_uk_sample.csv:4: Currency: the export is in GBP but the "
                                     "plan is in EUR");
    assert_int_equal(k.n, 0);
    assert_null(k.kw);
    /* currency NULL accepts any */
    assert_int_equal(mpi_kwp_load(MP_FIXTURES "/kwp_uk_sample.csv", NULL, NULL, &k), MP_OK);
    assert_string_equal(k.currency, "GBP");
    mpi_kwp_free(&k);
}

/* Rows without a keyword, without a usable volume or with bids the wrong
 * way round are skipped, each reported as file:line: why in the warnings. */
static void reports_skipped_rows(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_kwp k;
    mpi_strlist warn = {0};
    assert_int_equal(load_text(dir,
                               "Keyword,Avg. monthly searches,Top of page bid (low range),"
                               "Top of page bid (high range)\n"
                               "good,100,1.00,2.00\n" /* line 2 */
                               ",100,1,2\n"           /* line 3: no keyword */
                               "\n"                   /* line 4: blank, not a row */
                               "dashes,--,1,2\n"      /* line 5 */
                               "reversed,100,3,2\n"   /* line 6 */
                               "words,many,1,2\n",    /* line 7 */
                               NULL, &warn, &k),
                     MP_OK);
    assert_int_equal(k.n, 1);
    assert_int_equal(k.skipped, 4);
    assert_int_equal(warn.n, 4);
    char path_buf[600], *path = path_buf;
    snprintf(path_buf, sizeof path_buf, "%s/kwp.csv", dir);
    char want[700];
    snprintf(want, sizeof want, "%s:3: row skipped: no keyword", path);
    assert_string_equal(warn.v[0], want);
    snprintf(want, sizeof want, "%s:5: row skipped: no usable monthly search volume", path);
    assert_string_equal(warn.v[1], want);
    snprintf(want, sizeof want,
             "%s:6: row skipped: top of page bid high range is below the low range", path);
    assert_string_equal(warn.v[2], want);
    snprintf(want, sizeof want, "%s:7: row skipped: no usable monthly search volume", path);
    assert_string_equal(warn.v[3], want);
    mpi_kwp_free(&k);
    mpi_strlist_free(&warn);
    /* past 20 skipped rows, one line counts the rest */
    char text[4096] = "Keyword,Avg. monthly searches\nkept,10\n";
    for (int i = 0; i < 23; i++)
        strcat(text, "gone,n/a\n");
    path = test_write(dir, "kwp.csv", text);
    assert_int_equal(mpi_kwp_load(path, NULL, &warn, &k), MP_OK);
    assert_int_equal(k.skipped, 23);
    assert_int_equal(warn.n, 21);
    snprintf(want, sizeof want, "%s:22: row skipped: no usable monthly search volume", path);
    assert_string_equal(warn.v[19], want);
    snprintf(want, sizeof want, "%s: 3 more rows skipped", path);
    assert_string_equal(warn.v[20], want);
    mpi_kwp_free(&k);
    mpi_strlist_free(&warn);
    /* warnings may be left out */
    assert_int_equal(mpi_kwp_load(path, NULL, NULL, &k), MP_OK);
    assert_int_equal(k.skipped, 23);
    mpi_kwp_free(&k);
    free(path);
    free(dir);
}

static void rejects_what_is_no_export(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_kwp k;
    /* every row skipped: the first one says why */
    assert_int_equal(load_text(dir, "Keyword,Avg. monthly searches\na,--\nb,--\n", NULL, NULL, &k),
                     MP_ERR_INPUT);
    assert_contains(mp_last_error(),
                    "no usable keyword row (2 skipped; line 2: no usable monthly search volume)");
    assert_int_equal(k.n, 0);
    /* a header and nothing else */
    assert_int_equal(load_text(dir, "Keyword,Avg. monthly searches\n", NULL, NULL, &k),
                     MP_ERR_INPUT);
    assert_contains(mp_last_error(), "no usable keyword row");
    /* no Keyword column in the first 10 lines */
    assert_int_equal(load_text(dir, "term,volume\nshoes,10\n", NULL, NULL, &k), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "no header row with a \"Keyword\"");
    char text[512] = "";
    for (int i = 0; i < 10; i++)
        strcat(text, "title line\n");
    strcat(text, "Keyword,Avg. monthly searches\nshoes,10\n");
    assert_int_equal(load_text(dir, text, NULL, NULL, &k), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "no header row");
    /* a header without the volume column, named with its line */
    assert_int_equal(load_text(dir, "title\nKeyword,Competition\nshoes,Low\n", NULL, NULL, &k),
                     MP_ERR_INPUT);
    assert_contains(mp_last_error(), "kwp.csv:2: no \"Avg. monthly searches\" column");
    /* the file itself */
    assert_int_equal(mpi_kwp_load(dir, NULL, NULL, &k), MP_ERR_IO);
    assert_contains(mp_last_error(), "is a directory");
    free(dir);
}

/* The date range above the header: its end, the day after it; a range that
 * is no date leaves the day unknown. */
static void reads_the_date_range_end(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mpi_kwp k;
    static const struct {
        const char *line;
        long day;
    } cases[] = {
        {"\"January 1, 2025 - December 31, 2025\"", 20454}, /* 2026-01-01 */
        {"1 mars 2023 - 29 février 2024", 19783},           /* leap day; 2024-03-01 */
        {"1 mars 2023 - 30 février 2024", -1},              /* no such day */
        {"June 1, 2025 - Maybe 31, 2026", -1},
        {"no range here", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "Keyword Stats\n%s\nKeyword,Avg. monthly searches\nx,10\n",
                 cases[i].line);
        assert_int_equal(load_text(dir, text, NULL, NULL, &k), MP_OK);
        if (k.data_day != cases[i].day)
            fprintf(stderr, "%s: day %ld, expected %ld\n", cases[i].line, k.data_day, cases[i].day);
        assert_int_equal(k.data_day, cases[i].day);
        mpi_kwp_free(&k);
    }
    free(dir);
}

/* Plain decimals (digits and at most one point: most of an export's cells)
 * are read to the double strtod gives, bit for bit: short ones by the reader's
 * own division, long ones (past 15 digits) by strtod itself. */
static void reads_plain_decimals_as_strtod(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    enum { ROWS = 3000 };
    static char text[ROWS * 96 + 128];
    static char cells[ROWS][3][32];
    unsigned long long rng = 88172645463325252ULL;
    size_t o = (size_t)snprintf(text, sizeof text,
                                "Keyword,Avg. monthly searches,Top of page "
                                "bid (low range),Top of page bid (high range)\n");
    for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < 3; c++) {
            /* 1 to 18 digits, the point anywhere after the first or nowhere */
            int digits = 1 + (int)(18 * xorshift_uniform(&rng));
            int point = (int)((digits + 1) * xorshift_uniform(&rng));
            char *w = cells[r][c];
            for (int d = 0; d < digits; d++) {
                if (d == point && d > 0)
                    *w++ = '.';
                *w++ = (char)('0' + (int)(10 * xorshift_uniform(&rng)));
            }
            *w = '\0';
        }
        o += (size_t)snprintf(text + o, sizeof text - o, "k%d,%s,%s,%s\n", r, cells[r][0],
                              cells[r][1], cells[r][2]);
    }
    mpi_kwp k;
    assert_int_equal(load_text(dir, text, NULL, NULL, &k), MP_OK);
    assert_int_equal(k.n + k.skipped, ROWS);
    for (size_t i = 0; i < k.n; i++) {
        const mpi_keyword *w = &k.kw[i];
        int r = atoi(w->text + 1);
        double want = strtod(cells[r][0], NULL);
        if (memcmp(&w->volume, &want, sizeof want) != 0) {
            fprintf(stderr, "\"%s\": %.17g, strtod %.17g\n", cells[r][0], w->volume, want);
            fail();
        }
        for (int c = 1; c < 3; c++) {
            double got = c == 1 ? w->bid_lo : w->bid_hi, v = strtod(cells[r][c], NULL);
            /* the reader leaves a bid of 0 unknown (-1), and a high bid below the low one
             * skips the row */
            assert_true(v > 0 ? got == v : got == -1);
        }
    }
    mpi_kwp_free(&k);
    free(dir);
}

/* Every allocation of reading an export failing in turn: out of memory, and
 * nothing left behind (the sanitizer build checks the leaks). */
static void survives_failing_allocations(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *path = test_write(dir, "kwp.csv",
                            "Keyword Stats\n\"June 1, 2025 - May 31, 2026\"\nKeyword,Currency,"
                            "Avg. monthly searches\nshoes,EUR,1000\nboots,EUR,--\nsocks,EUR,50\n");
    mpi_strlist warn = {0};
    for (unsigned long n = 1;; n++) {
        mpi_kwp k;
        mpi_alloc_fail_at(n);
        mp_status st = mpi_kwp_load(path, "EUR", &warn, &k);
        mpi_alloc_fail_at(0);
        mpi_strlist_free(&warn);
        assert_true(st == MP_OK || st == MP_ERR_NOMEM);
        if (st == MP_OK) {
            assert_int_equal(k.n, 2);
            mpi_kwp_free(&k);
            break;
        }
    }
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_the_uk_sample),
        cmocka_unit_test(reads_monthly_columns),
        cmocka_unit_test(reads_a_french_export),
        cmocka_unit_test(reads_one_decimal_commas),
        cmocka_unit_test(checks_the_currency),
        cmocka_unit_test(reports_skipped_rows),
        cmocka_unit_test(rejects_what_is_no_export),
        cmocka_unit_test(reads_the_date_range_end),
        cmocka_unit_test(reads_plain_decimals_as_strtod),
        cmocka_unit_test(survives_failing_allocations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
