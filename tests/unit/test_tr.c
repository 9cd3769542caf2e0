/* The message catalogue (engine/base/tr.c): lookups in the French catalogue
 * compiled from po/fr.po, the English fall-back, plural forms, and numbers
 * and dates as each language writes them. The expected French is po/fr.po's,
 * written out here by hand. */
#include "helpers.h"
#include "base.h"
#include "report.h"

#include <string.h>

static void parses_language_codes(void **state)
{
    (void)state;
    assert_int_equal(mpi_lang_parse("fr"), MPI_LANG_FR);
    assert_int_equal(mpi_lang_parse("FR"), MPI_LANG_FR);
    assert_int_equal(mpi_lang_parse("en"), MPI_LANG_EN);
    assert_int_equal(mpi_lang_parse("xx"), -1);
    assert_int_equal(mpi_lang_parse("fr_FR"), -1);
    assert_int_equal(mpi_lang_parse(""), -1);
    assert_int_equal(mpi_lang_parse(NULL), -1);
    assert_string_equal(mpi_lang_code(MPI_LANG_FR), "fr");
    assert_string_equal(mpi_lang_code(MPI_LANG_EN), "en");
    assert_string_equal(mpi_lang_code((mpi_lang)42), "en");
}

static void looks_up_french(void **state)
{
    (void)state;
    assert_string_equal(mpi_tr(MPI_LANG_FR, "Summary"), "Synth\xc3\xa8se");
    assert_string_equal(mpi_tr(MPI_LANG_FR, "Plan"), "Plan m\xc3\xa9"
                                                     "dia");
    assert_string_equal(mpi_tr(MPI_LANG_FR, "Keywords"), "Mots cl\xc3\xa9s");
    assert_string_equal(mpi_tr(MPI_LANG_FR, "Assumptions"), "Hypoth\xc3\xa8ses");
    assert_string_equal(mpi_tr(MPI_LANG_FR, "Scenarios"), "Sc\xc3\xa9narios");
}

/* Every entry of the table is found by the binary search: the first and the
 * last msgid in byte order too (the sheet names span the table). */
static void finds_every_sheet_name(void **state)
{
    (void)state;
    const char *en[] = {"Summary", "Plan",        "Channels",    "Keywords",
                        "Groups",  "Constraints", "Assumptions", "Scenarios"};
    for (size_t i = 0; i < sizeof en / sizeof en[0]; i++)
        assert_string_not_equal(mpi_tr(MPI_LANG_FR, en[i]), en[i]);
}

/* A printf format and its translation take the same arguments. */
static void french_formats(void **state)
{
    (void)state;
    char b[128];
    snprintf(b, sizeof b, mpi_tr(MPI_LANG_FR, "unspent (%s)"), "EUR");
    assert_string_equal(b, "budget non d\xc3\xa9pens\xc3\xa9 (EUR)");
    snprintf(b, sizeof b, mpi_tr(MPI_LANG_FR, "marginal return (%s per k%s)"), "conversions",
             "EUR");
    assert_string_equal(b, "rendement marginal (conversions pour 1 kEUR)");
    assert_string_equal(mpi_tr(MPI_LANG_FR, "reach"), "couverture");
    assert_string_equal(mpi_tr(MPI_LANG_FR, "CPA"), "CPA");
}

static void falls_back_to_english(void **state)
{
    (void)state;
    const char *id = "no such message in any catalogue";
    assert_ptr_equal(mpi_tr(MPI_LANG_FR, id), id); /* the msgid itself */
    assert_ptr_equal(mpi_tr(MPI_LANG_EN, "Summary"), "Summary");
    assert_string_equal(mpi_tr(MPI_LANG_EN, "Summary"), "Summary");
    assert_null(mpi_tr(MPI_LANG_FR, NULL));
    /* "" is the .mo's header entry: never returned as a translation */
    assert_string_equal(mpi_tr(MPI_LANG_FR, ""), "");
    assert_string_equal(mpi_tr((mpi_lang)42, "Summary"), "Summary");
    assert_string_equal(mpi_tr((mpi_lang)-1, "Summary"), "Summary");
    /* a prefix or an extension of a msgid is another msgid */
    assert_string_equal(mpi_tr(MPI_LANG_FR, "Summar"), "Summar");
    assert_string_equal(mpi_tr(MPI_LANG_FR, "Summary "), "Summary ");
}

static void plural_forms(void **state)
{
    (void)state;
    /* English: 1 is singular, 0 and 2 plural; French: 0 and 1 singular */
    assert_string_equal(mpi_trn(MPI_LANG_EN, "one thing", "%lu things", 1), "one thing");
    assert_string_equal(mpi_trn(MPI_LANG_EN, "one thing", "%lu things", 0), "%lu things");
    assert_string_equal(mpi_trn(MPI_LANG_FR, "one thing", "%lu things", 0), "one thing");
    assert_string_equal(mpi_trn(MPI_LANG_FR, "one thing", "%lu things", 2), "%lu things");
    /* a plural entry of po/fr.po: msgstr[0] for 0 and 1, msgstr[1] from 2 */
    const char *one = "%lu week from %s", *many = "%lu weeks from %s";
    const char *fr1 = "%lu semaine \xc3\xa0 partir du %s",
               *fr2 = "%lu semaines \xc3\xa0 partir du %s";
    assert_string_equal(mpi_trn(MPI_LANG_FR, one, many, 0), fr1);
    assert_string_equal(mpi_trn(MPI_LANG_FR, one, many, 1), fr1);
    assert_string_equal(mpi_trn(MPI_LANG_FR, one, many, 2), fr2);
    assert_string_equal(mpi_trn(MPI_LANG_FR, one, many, 13), fr2);
    assert_ptr_equal(mpi_trn(MPI_LANG_EN, one, many, 1), one);
    assert_ptr_equal(mpi_trn(MPI_LANG_EN, one, many, 13), many);
    /* the singular alone is the key: mpi_tr finds the entry's first form */
    assert_string_equal(mpi_tr(MPI_LANG_FR, one), fr1);
}

static void french_numbers(void **state)
{
    (void)state;
    char b[64];
    mpi_fmt_num(MPI_LANG_FR, b, sizeof b, 1234567.891, 2);
    assert_string_equal(b, "1\xe2\x80\xaf"
                           "234\xe2\x80\xaf"
                           "567,89");
    mpi_fmt_num(MPI_LANG_FR, b, sizeof b, -200000, 0);
    assert_string_equal(b, "-200\xe2\x80\xaf"
                           "000");
    mpi_fmt_num(MPI_LANG_FR, b, sizeof b, 8.78, 2);
    assert_string_equal(b, "8,78");
    mpi_fmt_num(MPI_LANG_EN, b, sizeof b, 1234567.891, 2);
    assert_string_equal(b, "1,234,567.89");
    mpi_fmt_pct(MPI_LANG_FR, b, sizeof b, 12.5);
    assert_string_equal(b, "12,5\xc2\xa0%");
    mpi_fmt_pct(MPI_LANG_EN, b, sizeof b, 12.5);
    assert_string_equal(b, "12.5 %");
    /* a buffer too short is cut, never overrun */
    mpi_fmt_num(MPI_LANG_FR, b, 4, 1234567, 0);
    assert_string_equal(b, "1"); /* not half of U+202F */
}

/* Three significant digits (the binding lines' prices, limits.c): the
 * decimals are those of the figure once rounded, so a figure that rounds up
 * to 10 or 100 loses one: 9.99995 to two decimals is 10.00, three
 * significant digits 10.0; 99.9995 to one decimal is 100.0, that is 100. */
static void three_significant_digits(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *en;
    } cases[] = {{0.99995, "1.00"}, {0.994, "0.99"},     {9.994, "9.99"},  {9.99995, "10.0"},
                 {9.996, "10.0"},   {-9.99995, "-10.0"}, {99.94, "99.9"},  {99.9995, "100"},
                 {99.96, "100"},    {-99.9995, "-100"},  {1234.4, "1,234"}};
    char b[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mpi_fmt_sig3(MPI_LANG_EN, b, sizeof b, cases[i].v);
        assert_string_equal(b, cases[i].en);
    }
    mpi_fmt_sig3(MPI_LANG_FR, b, sizeof b, 9.99995);
    assert_string_equal(b, "10,0");
    mpi_fmt_sig3(MPI_LANG_FR, b, sizeof b, 99.9995);
    assert_string_equal(b, "100");
}

static void french_dates(void **state)
{
    (void)state;
    char b[32];
    long day = mpi_days_from_civil(2026, 3, 2);
    mpi_fmt_day(MPI_LANG_FR, b, sizeof b, day);
    assert_string_equal(b, "02/03/2026");
    mpi_fmt_day(MPI_LANG_EN, b, sizeof b, day);
    assert_string_equal(b, "2026-03-02");
}

/* A warning is kept in each catalogue language, whatever the thread's
 * message language when it was formed; v reads the message language's; a
 * list entry added as is reads the same in all. The French is po/fr.po's. */
static void diagnostics_in_each_language(void **state)
{
    (void)state;
    const char *fr = "plus de 3 canaux", *en = "more than 3 channels";
    for (int msg = 0; msg < MPI_NLANG; msg++) {
        mpi_set_msg_lang((mpi_lang)msg);
        mpi_diag d = {0};
        assert_int_equal(mpi_warn(&d, N_("more than %d channels"), 3), MP_OK);
        assert_int_equal(mpi_note(&d, "%s", "as is"), MP_OK);
        assert_int_equal(mpi_strlist_addf(&d.warn, "%s", "added as is"), MP_OK);
        assert_int_equal(d.warn.n, 2);
        assert_string_equal(d.warn.v[0], msg == MPI_LANG_FR ? fr : en);
        assert_string_equal(mpi_strlist_text(&d.warn, 0, MPI_LANG_FR), fr);
        assert_string_equal(mpi_strlist_text(&d.warn, 0, MPI_LANG_EN), en);
        assert_string_equal(mpi_strlist_text(&d.warn, 1, MPI_LANG_FR), "added as is");
        assert_string_equal(mpi_strlist_text(&d.notes, 0, MPI_LANG_FR), "as is");
        assert_null(mpi_strlist_text(&d.warn, 2, MPI_LANG_FR));
        const char *texts[MPI_NLANG] = {[MPI_LANG_EN] = "word", [MPI_LANG_FR] = "mot"};
        assert_int_equal(mpi_warn_texts(&d, texts), MP_OK);
        assert_string_equal(d.warn.v[2], texts[msg]);
        assert_string_equal(mpi_strlist_text(&d.warn, 2, MPI_LANG_FR), "mot");
        mpi_diag_free(&d);
    }
    mpi_set_msg_lang(MPI_LANG_EN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_language_codes),
        cmocka_unit_test(looks_up_french),
        cmocka_unit_test(finds_every_sheet_name),
        cmocka_unit_test(falls_back_to_english),
        cmocka_unit_test(plural_forms),
        cmocka_unit_test(french_numbers),
        cmocka_unit_test(three_significant_digits),
        cmocka_unit_test(french_dates),
        cmocka_unit_test(french_formats),
        cmocka_unit_test(diagnostics_in_each_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
