/* Constraint expressions:  measure [ "(" item {"," item} ")" ] op value
 *   measure: spend | cost | share | cpa | roas | impressions | clicks |
 *            conversions | revenue | grp | reach | co2
 *   item:    a channel name, a media type (search, social, tv, radio, press,
 *            curve), digital, offline or all
 *   op:      <= | >= | = (nothing else: < or == is refused, not guessed)
 *   value:   a number with %, k, M, the plan currency or t (tonnes CO2e) */
#include "plan.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The suffixes a bound of e's measure may carry. */
static unsigned value_units(const mpi_expr *e)
{
    unsigned units = MPI_U_KM;
    if (e->measure == MPI_M_SHARE || e->measure == MPI_M_ROAS)
        units = MPI_U_PCT;
    else if (e->measure == MPI_M_CPA || e->kpi == MPI_SPEND || e->kpi == MPI_REVENUE)
        units |= MPI_U_CUR;
    else if (e->kpi == MPI_CO2)
        units |= MPI_U_TONNE;
    else if (e->kpi == MPI_REACH)
        units |= MPI_U_PCT;
    return units;
}

int mpi_expr_value(const mp_plan *plan, const mpi_expr *e, const char *text, double *out,
                   const char **why)
{
    double v;
    if (mpi_parse_num(text, value_units(e), plan->currency, &v, why) != 0)
        return -1;
    if (v < 0) {
        *why = "negative value";
        return -1;
    }
    /* an amount of currency (a spend, a CPA, a revenue) beyond what is solved reliably */
    static _Thread_local char limit[256];
    if ((value_units(e) & MPI_U_CUR) &&
        (*why = mpi_limit_why(v, &mpi_limit_amount, plan->currency, limit, sizeof limit)))
        return -1;
    /* a share is a fraction: "share(tv) >= 30" is 30 % misspelt, not 3000 % */
    if (e->measure == MPI_M_SHARE && mpi_bare_above_one(text, v)) {
        *why = N_("a share without % is a fraction between 0 and 1");
        return -1;
    }
    if (e->measure == MPI_M_SHARE && v > 1) {
        *why = N_("a share is between 0 and 100%");
        return -1;
    }
    if (e->measure == MPI_M_KPI && e->kpi == MPI_REACH && strchr(text, '%')) {
        if (!(plan->universe > 0)) {
            *why = N_("reach in % needs [plan] universe (the target population)");
            return -1;
        }
        if (v > 1) {
            *why = "reach above 100%";
            return -1;
        }
        v *= plan->universe;
    }
    *out = v;
    return 0;
}

const char *mpi_expr_hint(const mp_plan *plan, const mpi_expr *e, const char *text, char *buf,
                          size_t size)
{
    const char *why;
    double v;
    /* a bare ROAS above 1 is a ratio and a bare reach people, not a misspelt % */
    if (e->measure != MPI_M_SHARE &&
        mpi_parse_num(text, value_units(e), plan->currency, &v, &why) == 0)
        return NULL;
    return mpi_num_hint(text, value_units(e), plan->currency, buf, size);
}

const char *mpi_op_str(int op)
{
    return op == MPI_LE ? "<=" : op == MPI_GE ? ">=" : "=";
}

void mpi_expr_free(mpi_expr *e)
{
    if (e) {
        free(e->in);
        free(e->ing);
        e->in = NULL;
        e->ing = NULL;
    }
}

int mpi_expr_has(const mpi_expr *e, int channel, int group)
{
    if (!e->in)
        return 1;
    if (e->in[channel])
        return 1;
    return e->ing && group >= 0 && e->ing[(size_t)channel * e->ngroups + (size_t)group];
}

static int mark_item(const mp_plan *plan, const char *item, unsigned char *in);

/* Mark group g of the channels that item (a channel name or media type) names. */
static int mark_group(const mp_plan *plan, const char *item, size_t g, mpi_expr *e)
{
    unsigned char *none = mpi_calloc(plan->nch ? plan->nch : 1, 1);
    if (!none)
        return -1;
    int any = mark_item(plan, item, none);
    for (size_t c = 0; any && c < plan->nch; c++)
        if (none[c])
            e->ing[c * e->ngroups + g] = 1;
    free(none);
    return any;
}

static void skip_ws(const char **p)
{
    while (isspace((unsigned char)**p))
        (*p)++;
}

static size_t read_ident(const char **p, char *buf, size_t n)
{
    size_t i = 0;
    while (**p &&
           (isalnum((unsigned char)**p) || strchr("-_.:", **p) || (unsigned char)**p >= 128)) {
        if (i + 1 < n)
            buf[i++] = **p;
        (*p)++;
    }
    buf[i] = '\0';
    return i;
}

/* Mark the channels an item names; 0 when it names none. */
static int mark_item(const mp_plan *plan, const char *item, unsigned char *in)
{
    int any = 0;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        int hit = !strcmp(item, ch->name) || !strcmp(item, ch->ops->media) ||
                  !strcmp(item, "all") || (!strcmp(item, "digital") && ch->digital) ||
                  (!strcmp(item, "offline") && !ch->digital);
        if (hit) {
            in[c] = 1;
            any = 1;
        }
    }
    return any;
}

static int is_type_word(const char *item)
{
    return mpi_model_find(item) || !strcmp(item, "digital") || !strcmp(item, "offline") ||
           !strcmp(item, "all");
}

/* The measure word: share, cpa, roas or a KPI. */
static mp_status parse_measure(const char *text, const char **p, const mpi_loc *loc, mpi_expr *e)
{
    static const char *const measures[] = {"spend",   "cost",        "share",  "cpa",
                                           "roas",    "impressions", "clicks", "conversions",
                                           "revenue", "grp",         "reach",  "co2"};
    char word[96];
    skip_ws(p);
    if (!read_ident(p, word, sizeof word))
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected a measure such as spend(...), share(...), conversions, cpa "
                              "or roas in \"%s\""),
                           text);
    if (!strcmp(word, "share"))
        e->measure = MPI_M_SHARE;
    else if (!strcmp(word, "cpa"))
        e->measure = MPI_M_CPA;
    else if (!strcmp(word, "roas"))
        e->measure = MPI_M_ROAS;
    else if ((e->kpi = mpi_kpi_find(word)) >= 0)
        e->measure = MPI_M_KPI;
    else {
        const char *hint = mpi_suggest(word, measures, sizeof measures / sizeof measures[0]);
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("unknown measure \"%s\" in \"%s\"%s%s%s"), word,
                           text, hint ? mpi_tr(mpi_msg_lang(), N_(" (did you mean ")) : "",
                           hint ? hint : "", hint ? mpi_tr(mpi_msg_lang(), N_("?)")) : "");
    }
    return MP_OK;
}

/* An item "channel-or-type:group": that keyword group of the channels named. */
static mp_status group_item(const mp_plan *plan, char *word, char *colon, const char *text,
                            const mpi_loc *loc, mpi_expr *e)
{
    *colon = '\0';
    const char *gname = colon + 1;
    size_t g = 0;
    while (g < plan->groups.n && strcmp(plan->groups.v[g], gname) != 0)
        g++;
    if (g == plan->groups.n) {
        const char *hint = mpi_suggest(gname, (const char *const *)plan->groups.v, plan->groups.n);
        return mpi_fail_at(
            MP_ERR_INPUT, loc, N_("unknown keyword group \"%s\" in \"%s\"%s%s%s%s"), gname, text,
            hint ? mpi_tr(mpi_msg_lang(), N_(" (did you mean \"")) : "", hint ? hint : "",
            hint ? mpi_tr(mpi_msg_lang(), N_("\"?)")) : "",
            plan->groups.n ? "" : mpi_tr(mpi_msg_lang(), N_(" (no channel has groups = rules)")));
    }
    if (!e->ing) {
        e->ngroups = plan->groups.n;
        e->ing = mpi_calloc(plan->nch * plan->groups.n, 1);
        if (!e->ing)
            return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    int r = mark_group(plan, word, g, e);
    if (r < 0)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    if (r == 0)
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("unknown channel \"%s\" in \"%s\""), word, text);
    return MP_OK;
}

/* One item of the list: a channel, a media type, digital, offline, all, or
 * one of these with a keyword group. */
static mp_status list_item(const mp_plan *plan, char *word, const char *text, const mpi_loc *loc,
                           mpi_expr *e)
{
    char *colon = strchr(word, ':');
    if (colon)
        return group_item(plan, word, colon, text, loc, e);
    if (mark_item(plan, word, e->in) || is_type_word(word))
        return MP_OK;
    const char *names[MPI_MAX_CHANNELS];
    for (size_t c = 0; c < plan->nch; c++)
        names[c] = plan->ch[c].name;
    const char *hint = mpi_suggest(word, names, plan->nch);
    if (hint)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("unknown channel \"%s\" in \"%s\" (did you mean \"%s\"?)"), word,
                           text, hint);
    return mpi_fail_at(MP_ERR_INPUT, loc, N_("unknown channel \"%s\" in \"%s\""), word, text);
}

/* "(" item {"," item} ")", the "(" read; the list must name some channel. */
static mp_status parse_list(const mp_plan *plan, const char *text, const char **p,
                            const mpi_loc *loc, mpi_expr *e)
{
    e->in = mpi_calloc(plan->nch ? plan->nch : 1, 1);
    if (!e->in)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    for (;;) {
        char word[96];
        skip_ws(p);
        if (!read_ident(p, word, sizeof word))
            return mpi_fail_at(MP_ERR_INPUT, loc,
                               N_("expected a channel name or media type at \"%s\" in \"%s\""), *p,
                               text);
        mp_status st = list_item(plan, word, text, loc, e);
        if (st != MP_OK)
            return st;
        skip_ws(p);
        if (**p == ')') {
            (*p)++;
            break;
        }
        if (**p != ',')
            return mpi_fail_at(MP_ERR_INPUT, loc, N_("expected \",\" or \")\" at \"%s\" in \"%s\""),
                               *p, text);
        (*p)++;
    }
    size_t any = 0;
    for (size_t c = 0; c < plan->nch; c++)
        any += e->in[c];
    for (size_t i = 0; e->ing && i < plan->nch * e->ngroups; i++)
        any += e->ing[i];
    if (!any)
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("no channel of the plan is in the list of \"%s\""),
                           text);
    return MP_OK;
}

/* <=, >= or =, the documented operators. Any other run of comparison
 * characters (<, >, ==, =<, !=, <>) is refused rather than guessed: `cpa < 110`
 * read as <= would be a silent change of meaning. */
static mp_status parse_op(const char *text, const char **p, const mpi_loc *loc, mpi_expr *e)
{
    size_t n = strspn(*p, "<>=!");
    if (n == 0)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected <=, >= or = after the measure in \"%s\""), text);
    if (n == 2 && !strncmp(*p, "<=", 2))
        e->op = MPI_LE;
    else if (n == 2 && !strncmp(*p, ">=", 2))
        e->op = MPI_GE;
    else if (n == 1 && **p == '=')
        e->op = MPI_EQ;
    else
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("unknown operator \"%.*s\": write <=, >= or = (in \"%s\")"), (int)n,
                           *p, text);
    *p += n;
    return MP_OK;
}

/* The bound, in the measure's unit; a CPA is a cap and a ROAS a floor. */
static mp_status parse_bound(const mp_plan *plan, const char *text, const char *p,
                             const mpi_loc *loc, mpi_expr *e)
{
    const char *why;
    char hint[192];
    double v;
    if (mpi_expr_value(plan, e, p, &v, &why) != 0) {
        const char *h = mpi_expr_hint(plan, e, p, hint, sizeof hint);
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("bad value \"%s\" in \"%s\" (%s%s%s)"), p, text,
                           mpi_tr(mpi_msg_lang(), why), h ? mpi_tr(mpi_msg_lang(), N_("; ")) : "",
                           h ? h : "");
    }
    if ((e->measure == MPI_M_CPA && e->op != MPI_LE) ||
        (e->measure == MPI_M_ROAS && e->op != MPI_GE))
        return mpi_fail_at(
            MP_ERR_INPUT, loc, N_("%s takes %s (in \"%s\")"),
            e->measure == MPI_M_CPA ? "cpa" : "roas",
            mpi_tr(mpi_msg_lang(), e->measure == MPI_M_CPA ? N_("<= (a cap)") : N_(">= (a floor)")),
            text);
    e->value = v;
    return MP_OK;
}

/* The parts in order: measure, list, operator, bound. */
static mp_status parse_parts(const mp_plan *plan, const char *text, const mpi_loc *loc, mpi_expr *e)
{
    const char *p = text;
    mp_status st = parse_measure(text, &p, loc, e);
    if (st != MP_OK)
        return st;
    skip_ws(&p);
    if (*p == '(') {
        p++;
        if ((st = parse_list(plan, text, &p, loc, e)) != MP_OK)
            return st;
    } else if (e->measure == MPI_M_SHARE) {
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("share needs a list of channels, as in share(tv, radio)"));
    }
    skip_ws(&p);
    if ((st = parse_op(text, &p, loc, e)) != MP_OK)
        return st;
    skip_ws(&p);
    return parse_bound(plan, text, p, loc, e);
}

mp_status mpi_expr_parse(const mp_plan *plan, const char *text, const mpi_loc *loc, mpi_expr *e)
{
    memset(e, 0, sizeof *e);
    mp_status st = parse_parts(plan, text, loc, e);
    if (st != MP_OK)
        mpi_expr_free(e);
    return st;
}
