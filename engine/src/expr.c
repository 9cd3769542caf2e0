/* Constraint expressions:  measure [ "(" item {"," item} ")" ] op value
 *   measure: spend | cost | share | cpa | roas | impressions | clicks |
 *            conversions | revenue | grp | reach | co2
 *   item:    a channel name, a media type (search, social, tv, radio, press,
 *            curve), digital, offline or all
 *   op:      <= | >= | = (nothing else: < or == is refused, not guessed)
 *   value:   a number with %, k, M, the plan currency or t (tonnes CO2e) */
#include "plan.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
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
    else if (e->kpi == MPI_REACH || e->eff_k)
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
    if (e->measure == MPI_M_KPI && (e->kpi == MPI_REACH || e->eff_k) && strchr(text, '%')) {
        if (!(plan->universe > 0)) {
            *why = N_("reach in % needs [plan] universe (the target population)");
            return -1;
        }
        if (v > 1) {
            *why = N_("reach above 100%");
            return -1;
        }
        v *= plan->universe;
    }
    *out = v;
    return 0;
}

void mpi_reach_share_suffix(mpi_lang lang, const mp_plan *plan, const mpi_expr *e, const char *text,
                            double people, char *buf, size_t n)
{
    buf[0] = '\0';
    if (!e || e->measure != MPI_M_KPI || mpi_expr_bound_kpi(e) != MPI_REACH || !text ||
        !strchr(text, '%') || !(plan->universe > 0) || !isfinite(people))
        return;
    char v[48];
    mpi_fmt_num(lang, v, sizeof v, 100 * people / plan->universe, 1);
    snprintf(buf, n, " (%s%s)", v, mpi_pct_sign(lang));
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
    static const char *const measures[] = {
        "spend",       "cost",    "share", "cpa",   "roas", "impressions",    "clicks",
        "conversions", "revenue", "grp",   "reach", "co2",  "effective_reach"};
    char word[4 * MPI_MAX_NAME + 1];
    skip_ws(p);
    if (!read_ident(p, word, sizeof word))
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected a measure such as spend(...), share(...), conversions, cpa "
                              "or roas in \"%s\""),
                           text);
    if (!strcmp(word, "effective_reach")) { /* its channel's impressions (check_effective) */
        e->measure = MPI_M_KPI;
        e->kpi = MPI_IMPRESSIONS;
        e->eff_k = -1;
    } else if (!strcmp(word, "share"))
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

/* Whether item (a channel name or media type) names a channel whose errors
 * are listed (mpi_channel.failed): its keyword groups may be unknown for that. */
static int names_failed_channel(const mp_plan *plan, const char *item)
{
    unsigned char in[MPI_MAX_CHANNELS] = {0};
    if (plan->nch > MPI_MAX_CHANNELS || !mark_item(plan, item, in))
        return 0;
    for (size_t c = 0; c < plan->nch; c++)
        if (in[c] && plan->ch[c].failed)
            return 1;
    return 0;
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
    if (g == plan->groups.n && names_failed_channel(plan, word)) {
        e->unjudged = 1;
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("cannot check \"%s:%s\": channel %s has errors"),
                           word, gname, word);
    }
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
        char word[4 * MPI_MAX_NAME + 1]; /* a name of up to 64 characters */
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

/* e cannot be judged for an error listed above (a key it reads was refused): a
 * load listing its errors leaves it out (build_constraints). */
static mp_status unjudged(const char *text, const mpi_loc *loc, mpi_expr *e)
{
    e->unjudged = 1;
    return mpi_fail_at(MP_ERR_INPUT, loc,
                       N_("cannot check \"%s\": a key it depends on has an error"), text);
}

/* The bound, in the measure's unit; a CPA is a cap and a ROAS a floor. */
static mp_status parse_bound(const mp_plan *plan, const char *text, const char *p,
                             const mpi_loc *loc, mpi_expr *e)
{
    const char *why;
    char hint[192];
    double v;
    if (mpi_expr_value(plan, e, p, &v, &why) != 0) {
        if (e->measure == MPI_M_KPI && e->kpi == MPI_REACH &&
            mpi_plan_key_refused(plan, "plan", NULL, "universe"))
            return unjudged(text, loc, e); /* reach in % of a universe refused */
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

/* ---- effective reach in a row or the objective --------------------------- */

/* The channels with reach that e's list names (all of the plan's with no
 * list), or why not: *n of them, the last in e->eff_ch. */
static mp_status effective_list(const mp_plan *plan, const char *text, const mpi_loc *loc,
                                mpi_expr *e, size_t *n)
{
    if (e->ing)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("effective_reach counts people, not keyword groups (in \"%s\")"),
                           text);
    *n = mpi_reach_channels(plan, e);
    if (*n == 0)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("effective_reach needs a channel with reach (tv, radio, social or "
                              "press) in \"%s\""),
                           text);
    if (*n > MPI_EFF_GRID_MAX)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("effective_reach over %zu channels: at most %d in a constraint "
                              "(each adds a grid of reach levels to the booking search); bound "
                              "a few channels' together, or each channel's (in \"%s\")"),
                           *n, MPI_EFF_GRID_MAX, text);
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].ops->reach && mpi_expr_has(e, (int)c, -1))
            e->eff_ch = c;
    return MP_OK;
}

/* The row counts the impressions of e's channels with reach alone. */
static mp_status effective_marks(const mp_plan *plan, mpi_expr *e)
{
    int all = !e->in;
    if (all && !(e->in = mpi_calloc(plan->nch ? plan->nch : 1, 1)))
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    for (size_t c = 0; c < plan->nch; c++)
        e->in[c] = (all || e->in[c]) && plan->ch[c].ops->reach;
    return MP_OK;
}

/* effective_reach(a, b) over 2 or 3 channels at the plan's frequency: each
 * channel's exposures must rise with its impressions at every count below
 * k (the people reached k times together then rise with each: mip.c), and
 * carryover is refused (its rows count money paid, not the grid's). */
static mp_status effective_several(const mp_plan *plan, const char *text, const mpi_loc *loc,
                                   mpi_expr *e)
{
    e->eff_k = plan->eff_freq;
    if (e->eff_k < 1)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("effective_reach over several channels counts the plan's "
                              "effective_frequency: set it in [plan] (in \"%s\")"),
                           text);
    for (size_t c = 0; c < plan->nch; c++) {
        if (!plan->ch[c].ops->reach || !mpi_expr_has(e, (int)c, -1))
            continue;
        if (plan->ch[c].adstock > 0)
            return mpi_fail_at(MP_ERR_INPUT, loc,
                               N_("effective_reach over several channels: channel \"%s\" "
                                  "carries over (adstock); bound its effective reach alone"),
                               plan->ch[c].name);
        for (int j = 1; j <= e->eff_k; j++)
            if (!isnan(mpi_effective_falls(plan, c, j)))
                return mpi_fail_at(MP_ERR_INPUT, loc,
                                   N_("effective_reach(%s) at %d+ exposures falls as the channel "
                                      "buys more; check the channel's reach keys"),
                                   plan->ch[c].name, j);
    }
    e->eff_multi = 1;
    return effective_marks(plan, e);
}

/* Whether what e's effective reach reads was refused as the plan was read
 * (its error is listed): the [plan] universe or effective_frequency, or a
 * channel of its list (a key or a check). Its checks would then blame keys
 * that are right (rmax, an unset frequency): the constraint is not judged. */
static int effective_unjudged(const mp_plan *plan, const mpi_expr *e)
{
    if (mpi_plan_key_refused(plan, "plan", NULL, "universe") ||
        mpi_plan_key_refused(plan, "plan", NULL, "effective_frequency"))
        return 1;
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].failed && plan->ch[c].ops->reach && mpi_expr_has(e, (int)c, -1))
            return 1;
    return 0;
}

/* effective_reach(channel): its channel, its frequency and a rise the
 * bound can follow. The channel's effective reach is a function of its
 * impressions (effective.c); where it never falls as they grow, a bound on
 * it is one on them, and the row counts only that channel's. */
static mp_status effective_channel(const mp_plan *plan, const char *text, const mpi_loc *loc,
                                   mpi_expr *e)
{
    size_t n = 0;
    mp_status st = effective_list(plan, text, loc, e, &n);
    if (st != MP_OK)
        return st;
    if (effective_unjudged(plan, e))
        return unjudged(text, loc, e);
    if (!(plan->universe > 0))
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("effective_reach needs [plan] universe (the target population the "
                              "exposures are spread over)"));
    if (n > 1)
        return effective_several(plan, text, loc, e);
    const char *name = plan->ch[e->eff_ch].name;
    e->eff_k = mpi_effective_frequency(plan, e->eff_ch);
    if (e->eff_k < 1)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("effective_reach(%s) needs an effective frequency: set [plan] "
                              "effective_frequency or the channel's (the exposures that count)"),
                           name);
    double at = mpi_effective_falls(plan, e->eff_ch, e->eff_k);
    if (!isnan(at))
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("effective_reach(%s) at %d+ exposures falls as the channel buys "
                              "more (past %.0f impressions): no bound on its impressions holds "
                              "it; check the channel's reach keys"),
                           name, e->eff_k, at);
    return effective_marks(plan, e);
}

/* A floor on a channel's effective reach past the most it reaches k times
 * however much it buys: refused, with that most. */
static mp_status effective_within(const mp_plan *plan, const char *text, const mpi_loc *loc,
                                  const mpi_expr *e)
{
    if (e->eff_multi && e->op != MPI_GE)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("effective_reach over several channels takes >= (a floor) in "
                              "\"%s\""),
                           text);
    if (e->eff_multi) /* past the most: the grid has no corner for it (mip.c) */
        return MP_OK;
    double most = mpi_effective_most(plan, e->eff_ch, e->eff_k);
    if (e->op == MPI_LE || e->value <= most * (1 - 1e-9))
        return MP_OK;
    char a[64];
    mpi_fmt_num(mpi_msg_lang(), a, sizeof a, most, 0);
    return mpi_fail_at(MP_ERR_INPUT, loc,
                       N_("\"%s\": %s reaches at most %s people %d+ times, however much it buys "
                          "(its rmax, audience or readership)"),
                       text, plan->ch[e->eff_ch].name, a, e->eff_k);
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
    if (e->eff_k && (st = effective_channel(plan, text, loc, e)) != MP_OK)
        return st;
    skip_ws(&p);
    if ((st = parse_op(text, &p, loc, e)) != MP_OK)
        return st;
    skip_ws(&p);
    if ((st = parse_bound(plan, text, p, loc, e)) != MP_OK)
        return st;
    return e->eff_k ? effective_within(plan, text, loc, e) : MP_OK;
}

mp_status mpi_expr_parse(const mp_plan *plan, const char *text, const mpi_loc *loc, mpi_expr *e)
{
    memset(e, 0, sizeof *e);
    mp_status st = parse_parts(plan, text, loc, e);
    if (st != MP_OK)
        mpi_expr_free(e);
    return st;
}

/* ---- de-duplicated reach ------------------------------------------------- */

/* Under random duplication a person missed by every channel of a list is
 * missed by each independently: R = U (1 - prod_i (1 - r_i / U)), so
 * R >= target  <=>  sum_i g_i >= -ln(1 - target / U),  g_i = -ln(1 - r_i / U).
 * The LP row over the reach curves is that sum, each curve the piecewise-linear
 * g_i of its channel's campaign spend (build.c reach_curves), and max reach
 * maximises sum_i g_i over all channels: 1 - e^-s rises with s, so the optimum
 * is the same.
 *
 * Why g_i is concave in spend x for every reach model here. Each one is
 * r(x) = A (1 - e^(-b x)) with b > 0: tv and radio A = universe x rmax,
 * b = k / cpp (Rmax (1 - e^(-k GRP))); social A = audience, b = 1000 / (cpm
 * audience) (N (1 - e^(-impressions / N))); press A = readership, b = audience
 * / (cpi readership). With a = A / U, h(x) = 1 - r(x)/U = 1 - a + a e^(-bx) > 0
 * and g = -ln h:
 *   g'  = a b e^(-bx) / h,
 *   g'' = -(h'' h - h'^2) / h^2 = -a b^2 e^(-bx) (1 - a) / h^2,
 * which is <= 0 exactly when a <= 1: the channel reaches at most the universe.
 * a = 1 makes g = b x, a line. A channel whose A passes U has no such term
 * (1 - r/U < 0 past r = U): mpi_reach_check refuses it. g is capped at
 * MPI_REACH_LOG_MAX (where 1 - r/U < 1e-12), a minimum of concave functions,
 * still concave; no plan's bound comes near it. */

size_t mpi_reach_channels(const mp_plan *plan, const mpi_expr *e)
{
    size_t n = 0;
    for (size_t c = 0; c < plan->nch; c++)
        n += plan->ch[c].ops->reach && (!e || mpi_expr_has(e, (int)c, -1));
    return n;
}

/* Whether constraint i is a reach row over several channels. */
static int reach_row_spans(const mp_plan *plan, size_t i)
{
    const mpi_expr *e = &plan->cons[i].e;
    return e->measure == MPI_M_KPI && e->kpi == MPI_REACH && mpi_reach_channels(plan, e) > 1;
}

int mpi_reach_log(const mp_plan *plan)
{
    if (!(plan->universe > 0))
        return 0;
    if (plan->obj_kpi == MPI_REACH && mpi_reach_channels(plan, NULL) > 1)
        return 1;
    for (size_t i = 0; i < plan->ncons; i++)
        if (reach_row_spans(plan, i))
            return 1;
    return 0;
}

double mpi_reach_term(const mp_plan *plan, double r)
{
    double miss = 1 - r / plan->universe;
    return miss > 1e-12 ? -log1p(-r / plan->universe) : MPI_REACH_LOG_MAX;
}

double mpi_reach_people(const mp_plan *plan, double s)
{
    return plan->universe * -expm1(-s);
}

double mpi_expr_rhs(const mp_plan *plan, const mpi_expr *e, double value)
{
    if (e->measure != MPI_M_KPI)
        return 0;
    if (e->eff_multi) /* Markov: people reached k times <= impressions / k */
        return e->eff_k * value;
    if (e->eff_k > 0) /* the impressions that reach value people k times */
        return mpi_effective_exposures(plan, e->eff_ch, e->eff_k, value);
    if (e->kpi != MPI_REACH || !mpi_reach_log(plan))
        return value;
    /* a bound at or past the universe: past every sum the capped terms make */
    return value < plan->universe ? mpi_reach_term(plan, value)
                                  : MPI_REACH_LOG_MAX * (double)(plan->nch + 1);
}

/* Where a plan-level key is, for messages: [plan] key's line (0: not given). */
static mpi_loc plan_key(const mp_plan *plan, const char *key)
{
    mpi_loc loc = {plan->path, mpi_plan_key_line(plan, "plan", NULL, key), key};
    return loc;
}

/* Reach over several channels is taken within the universe: refused
 * without one, at the row's or the objective's line. */
static mp_status check_universe_given(const mp_plan *plan)
{
    for (size_t i = 0; i < plan->ncons; i++)
        /* a bound in % was refused as it was read, for the same reason */
        if (reach_row_spans(plan, i) && !strchr(plan->cons[i].text, '%')) {
            mpi_loc loc = {plan->path,
                           mpi_plan_key_line(plan, "constraint", plan->cons[i].name, "expr"),
                           "expr"};
            return mpi_fail_at(MP_ERR_INPUT, &loc,
                               N_("constraint \"%s\" (%s): reach over several channels is "
                                  "de-duplicated within the target population: set [plan] "
                                  "universe"),
                               plan->cons[i].name, plan->cons[i].text);
        }
    if (plan->obj_kpi == MPI_REACH && mpi_reach_channels(plan, NULL) > 1) {
        mpi_loc loc = plan_key(plan, "objective");
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("max reach over several channels is de-duplicated within the "
                              "target population: set [plan] universe"));
    }
    return MP_OK;
}

/* An effective frequency spreads each channel's exposures over the
 * universe (effective.c): refused without one, at the key's line. */
static mp_status check_frequency_universe(const mp_plan *plan)
{
    if (plan->universe > 0)
        return MP_OK;
    for (size_t c = 0; c <= plan->nch; c++) {
        int k = c < plan->nch ? plan->eff_freq_ch[c] : plan->eff_freq;
        if (!(k > 0))
            continue;
        mpi_loc loc = plan_key(plan, "effective_frequency");
        if (c < plan->nch)
            loc.line = mpi_plan_key_line(plan, "channel", plan->ch[c].name, "effective_frequency");
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("effective_frequency needs [plan] universe (the target "
                              "population the exposures are spread over)"));
    }
    return MP_OK;
}

/* The key that sets how many people channel ch reaches at most, the first
 * of them its section gives (0: none). */
static int ceiling_key(const mp_plan *plan, const mpi_channel *ch, const char **key)
{
    static const char *const keys[] = {"audience", "readership", "rmax"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        int line = mpi_plan_key_line(plan, "channel", ch->name, keys[i]);
        if (line > 0) {
            *key = keys[i];
            return line;
        }
    }
    *key = NULL;
    return 0;
}

/* A channel reaching past the universe has no log-form term and no
 * exposure distribution within it: refused at the key that sets its reach,
 * saying which two keys to change. */
static mp_status check_within_universe(const mp_plan *plan)
{
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        double most = ch->ops->reach ? ch->ops->reach(ch->params, &plan->mctx, ch, INFINITY) : 0;
        if (!(most > plan->universe * (1 + 1e-9)))
            continue;
        char a[64], b[64];
        const char *key;
        mpi_loc loc = {plan->path, ceiling_key(plan, ch, &key), NULL};
        loc.key = key;
        mpi_fmt_num(mpi_msg_lang(), a, sizeof a, most, 0); /* the message's separators */
        mpi_fmt_num(mpi_msg_lang(), b, sizeof b, plan->universe, 0);
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\" reaches up to %s people, more than [plan] universe "
                              "(%s, line %d): lower the channel's %s or raise universe; "
                              "de-duplicated reach and effective frequency need each channel's "
                              "reach within the universe"),
                           ch->name, a, b, plan_key(plan, "universe").line, key ? key : "audience");
    }
    return MP_OK;
}

mp_status mpi_reach_check(const mp_plan *plan)
{
    if (mpi_plan_key_refused(plan, "plan", NULL, "universe"))
        return MP_OK; /* its error is listed: what needs it is not judged */
    int freq = plan->eff_freq > 0;
    for (size_t c = 0; c < plan->nch; c++)
        freq |= plan->eff_freq_ch[c] > 0;
    if (!(plan->universe > 0)) {
        mp_status st = check_universe_given(plan);
        return st == MP_OK && freq ? check_frequency_universe(plan) : st;
    }
    if (!mpi_reach_log(plan) && !freq)
        return MP_OK;
    return check_within_universe(plan);
}

/* ---- effective frequency ------------------------------------------------- */

mp_status mpi_get_frequency(const char *v, const mpi_loc *loc, int *out)
{
    double f;
    mp_status st = mpi_get_pos(v, 0, NULL, loc, &f);
    if (st != MP_OK)
        return st;
    if (f != floor(f) || f < 1 || f > MPI_MAX_FREQUENCY)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected a whole number of exposures from 1 to %d, got \"%s\""),
                           MPI_MAX_FREQUENCY, v);
    *out = (int)f;
    return MP_OK;
}
