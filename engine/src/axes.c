/* What-if axes: a --vary specification ("inflation=0%..30%/2.5%",
 * "cpm:meta=-10%,0%,10%", "constraint:cpa=40..60/5") read into the
 * parameter it moves and its values, and a value applied to a scenario. */
#include "whatif.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MPI_MAX_AXIS_VALUES 1001
#define MPI_MAX_AXIS_SPEC   512 /* characters of an axis's values */

void mpi_axis_free(mpi_axis *a)
{
    if (!a)
        return;
    free(a->label);
    free(a->in);
    free(a->values);
    free(a->bare);
    memset(a, 0, sizeof *a);
}

/* Mark the channels target names (a channel or a media type) that have the
 * unit cost named cost (NULL: any inflating cost); returns how many. */
static size_t mark_channels(const mp_plan *plan, const char *target, const char *cost,
                            unsigned char *in)
{
    size_t n = 0;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        int hit = !target || !strcmp(target, ch->name) || !strcmp(target, ch->ops->media) ||
                  (!strcmp(target, "digital") && ch->digital) ||
                  (!strcmp(target, "offline") && !ch->digital);
        if (!hit || !ch->ops->cost_name || (cost && strcmp(cost, ch->ops->cost_name) != 0))
            continue;
        in[c] = 1;
        n++;
    }
    return n;
}

/* A rate or a cost change: a fraction, or a percentage with %; as in the
 * plan file, a bare number above 1 in size is refused ("40" is 40 % misspelt,
 * not +4000 %). */
static int axis_rate(const char *text, double *v, const char **why)
{
    if (mpi_parse_num(text, MPI_U_PCT, NULL, v, why) != 0)
        return -1;
    if (mpi_bare_above_one(text, *v)) {
        *why = N_("a rate without % is a fraction");
        return -1;
    }
    return 0;
}

/* One value of an axis, in its unit. */
static int axis_value(const mp_plan *plan, const mpi_axis *a, const char *text, double *v,
                      const char **why)
{
    switch (a->kind) {
    case MPI_AX_INFLATION:
        if (axis_rate(text, v, why) != 0)
            return -1;
        if (*v <= -1 || *v > MPI_MAX_RATE) {
            *why = N_("a yearly rate above -100% and at most 1000%");
            return -1;
        }
        return 0;
    case MPI_AX_BUDGET:
        if (mpi_parse_num(text, MPI_U_KM | MPI_U_CUR, plan->currency, v, why) != 0)
            return -1;
        if (!(*v > 0)) {
            *why = N_("a budget must be positive");
            return -1;
        }
        static _Thread_local char limit[256]; /* the plan file's limit on a budget */
        *why = mpi_limit_why(*v, &mpi_limit_amount, plan->currency, limit, sizeof limit);
        return *why ? -1 : 0;
    case MPI_AX_COST:
        if (axis_rate(text, v, why) != 0)
            return -1;
        if (*v <= -1) {
            *why = N_("a cost change above -100%");
            return -1;
        }
        return 0;
    default: return mpi_expr_value(plan, &plan->cons[a->cons].e, text, v, why);
    }
}

/* How to write a refused value of the axis ("write 40% (or 0.4)"), or "". */
static const char *axis_hint(const mp_plan *plan, const mpi_axis *a, const char *text, char *buf,
                             size_t size)
{
    const char *h = NULL;
    char hint[192];
    if (a->kind == MPI_AX_INFLATION || a->kind == MPI_AX_COST)
        h = mpi_num_hint(text, MPI_U_PCT, NULL, hint, sizeof hint);
    else if (a->kind == MPI_AX_BUDGET)
        h = mpi_num_hint(text, MPI_U_KM | MPI_U_CUR, plan->currency, hint, sizeof hint);
    else
        h = mpi_expr_hint(plan, &plan->cons[a->cons].e, text, hint, sizeof hint);
    snprintf(buf, size, "%s%s", h ? mpi_tr(mpi_msg_lang(), N_("; ")) : "", h ? h : "");
    return buf;
}

/* Values from lo to hi by step: buf is "LO", to is "HI/STEP". */
static mp_status range_values(const mp_plan *plan, mpi_axis *a, const char *buf, char *to,
                              const char *full)
{
    const char *why = NULL;
    char *slash = strchr(to, '/');
    if (!slash)
        return mpi_fail(MP_ERR_INPUT, N_("--vary %s: a range needs a step, as in 0%%..30%%/2.5%%"),
                        full);
    *slash = '\0';
    double lo, hi, step;
    char hint[200];
    if (axis_value(plan, a, buf, &lo, &why))
        return mpi_fail(MP_ERR_INPUT, N_("--vary %s: %s%s"), full, mpi_tr(mpi_msg_lang(), why),
                        axis_hint(plan, a, buf, hint, sizeof hint));
    if (axis_value(plan, a, to, &hi, &why))
        return mpi_fail(MP_ERR_INPUT, N_("--vary %s: %s%s"), full, mpi_tr(mpi_msg_lang(), why),
                        axis_hint(plan, a, to, hint, sizeof hint));
    /* the step is a plain difference in the axis's unit */
    mpi_axis plain = *a;
    if (a->kind == MPI_AX_COST || a->kind == MPI_AX_INFLATION)
        plain.kind = MPI_AX_COST;
    if (axis_value(plan, &plain, slash + 1, &step, &why) || !(step > 0))
        return mpi_fail(MP_ERR_INPUT, N_("--vary %s: the step must be a positive number%s%s%s"),
                        full, why ? mpi_tr(mpi_msg_lang(), N_(": ")) : "",
                        why ? mpi_tr(mpi_msg_lang(), why) : "",
                        why ? axis_hint(plan, &plain, slash + 1, hint, sizeof hint) : "");
    if (hi < lo)
        return mpi_fail(MP_ERR_INPUT, N_("--vary %s: the range ends below its start"), full);
    double count = floor((hi - lo) / step + 1e-9) + 1;
    if (count > MPI_MAX_AXIS_VALUES)
        return mpi_fail(MP_ERR_LIMIT, N_("--vary %s: more than %d values"), full,
                        MPI_MAX_AXIS_VALUES);
    a->n = (size_t)count;
    a->values = mpi_calloc(a->n, sizeof(double));
    a->bare = mpi_calloc(a->n, 1);
    if (!a->values || !a->bare)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    /* the values between the ends are written as the ends are */
    int bare = !strchr(buf, '%') && !strchr(to, '%');
    for (size_t i = 0; i < a->n; i++) {
        a->values[i] = lo + step * (double)i;
        a->bare[i] = (unsigned char)bare;
    }
    return MP_OK;
}

/* Values given one by one, separated by commas. */
static mp_status list_values(const mp_plan *plan, mpi_axis *a, char *buf, const char *full)
{
    const char *why = NULL;
    char hint[200];
    size_t n = 1;
    for (const char *c = buf; *c; c++)
        n += *c == ',';
    if (n > MPI_MAX_AXIS_VALUES)
        return mpi_fail(MP_ERR_LIMIT, N_("--vary %s: more than %d values"), full,
                        MPI_MAX_AXIS_VALUES);
    a->values = mpi_calloc(n, sizeof(double));
    a->bare = mpi_calloc(n, 1);
    if (!a->values || !a->bare)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (axis_value(plan, a, tok, &a->values[a->n], &why))
            return mpi_fail(MP_ERR_INPUT, N_("--vary %s: \"%s\": %s%s"), full, mpi_trim(tok),
                            mpi_tr(mpi_msg_lang(), why),
                            axis_hint(plan, a, tok, hint, sizeof hint));
        a->bare[a->n++] = !strchr(tok, '%');
    }
    if (a->n == 0)
        return mpi_fail(MP_ERR_INPUT, N_("--vary %s: no values"), full);
    return MP_OK;
}

/* The values of spec (what follows '=' in full): a range or a list. */
static mp_status axis_values(const mp_plan *plan, mpi_axis *a, const char *spec, const char *full)
{
    char buf[MPI_MAX_AXIS_SPEC];
    size_t len = strlen(spec);
    if (len >= sizeof buf)
        return mpi_fail(MP_ERR_INPUT, N_("--vary %s: too long"), full);
    memcpy(buf, spec, len + 1);
    char *dots = strstr(buf, "..");
    if (!dots)
        return list_values(plan, a, buf, full);
    *dots = '\0';
    return range_values(plan, a, buf, dots + 2, full);
}

/* inflation[:TARGET]: search inflation, of a keyword group, or of the
 * channels TARGET names (any inflating cost). */
static mp_status inflation_axis(const mp_plan *plan, const char *target, const char *spec,
                                mpi_axis *a)
{
    a->kind = MPI_AX_INFLATION;
    a->pct = 1;
    for (size_t g = 0; target && g < plan->groups.n; g++)
        if (!strcmp(plan->groups.v[g], target))
            a->group = (int)g;
    size_t n = a->group >= 0 ? 1 : mark_channels(plan, target, target ? NULL : "cpc", a->in);
    if (!n)
        return mpi_fail(MP_ERR_INPUT, N_("--vary %s: %s"), spec,
                        target ? "no channel, media type or keyword group of that name has an "
                                 "inflating cost"
                               : "the plan has no search channel");
    return MP_OK;
}

/* cpm:TARGET (cpp, cpc, cpi): a change of the unit cost of the channels
 * TARGET names. */
static mp_status cost_axis(const mp_plan *plan, const char *kind, const char *target,
                           const char *spec, mpi_axis *a)
{
    a->kind = MPI_AX_COST;
    a->pct = 1;
    if (!target)
        return mpi_fail(MP_ERR_INPUT,
                        N_("--vary %s: name the channel or media type, as in %s:meta"), spec, kind);
    if (!mark_channels(plan, target, kind, a->in))
        return mpi_fail(MP_ERR_INPUT, N_("--vary %s: no channel \"%s\" with a %s"), spec, target,
                        kind);
    return MP_OK;
}

/* constraint:NAME: the bound of a constraint of the plan. */
static mp_status constraint_axis(const mp_plan *plan, const char *target, const char *spec,
                                 mpi_axis *a)
{
    a->kind = MPI_AX_CONSTRAINT;
    a->cons = -1;
    for (size_t i = 0; target && i < plan->ncons; i++)
        if (!strcmp(plan->cons[i].name, target))
            a->cons = (int)i;
    if (a->cons < 0) {
        const char *names[MPI_MAX_CONSTRAINTS];
        for (size_t i = 0; i < plan->ncons; i++)
            names[i] = plan->cons[i].name;
        const char *hint = target ? mpi_suggest(target, names, plan->ncons) : NULL;
        return mpi_fail(MP_ERR_INPUT, N_("--vary %s: no constraint \"%s\" in the plan%s%s%s"), spec,
                        target ? target : "",
                        hint ? mpi_tr(mpi_msg_lang(), N_(" (did you mean \"")) : "",
                        hint ? hint : "", hint ? mpi_tr(mpi_msg_lang(), N_("\"?)")) : "");
    }
    int m = plan->cons[a->cons].e.measure;
    a->pct = m == MPI_M_SHARE || m == MPI_M_ROAS;
    return MP_OK;
}

/* The parameter an axis moves: kind is the name before ':', target after. */
static mp_status axis_parameter(const mp_plan *plan, const char *kind, const char *target,
                                const char *spec, mpi_axis *a)
{
    static const char *const kinds[] = {"inflation", "budget", "cpm",       "cpp",
                                        "cpc",       "cpi",    "constraint"};
    if (!strcmp(kind, "inflation"))
        return inflation_axis(plan, target, spec, a);
    if (!strcmp(kind, "budget")) {
        a->kind = MPI_AX_BUDGET;
        return target ? mpi_fail(MP_ERR_INPUT, N_("--vary %s: budget takes no channel"), spec)
                      : MP_OK;
    }
    if (!strcmp(kind, "cpm") || !strcmp(kind, "cpp") || !strcmp(kind, "cpc") ||
        !strcmp(kind, "cpi"))
        return cost_axis(plan, kind, target, spec, a);
    if (!strcmp(kind, "constraint"))
        return constraint_axis(plan, target, spec, a);
    const char *hint = mpi_suggest(kind, kinds, sizeof kinds / sizeof kinds[0]);
    return mpi_fail(MP_ERR_INPUT,
                    N_("--vary %s: unknown parameter \"%s\"%s%s%s (expected inflation, budget, "
                       "cpm:, cpp:, cpc:, cpi: or constraint:)"),
                    spec, kind, hint ? mpi_tr(mpi_msg_lang(), N_(" (did you mean ")) : "",
                    hint ? hint : "", hint ? mpi_tr(mpi_msg_lang(), N_("?)")) : "");
}

/* The axis's name and values, its allocations made; on failure a may hold
 * some of them. */
static mp_status parse_into(const mp_plan *plan, const char *spec, mpi_axis *a)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec)
        return mpi_fail(MP_ERR_INPUT,
                        N_("--vary %s: expected NAME=VALUES, as in inflation=0%%..30%%/2.5%%"),
                        spec);
    a->label = mpi_strndup(spec, (size_t)(eq - spec));
    a->in = mpi_calloc(plan->nch ? plan->nch : 1, 1);
    if (!a->label || !a->in)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    /* the label is the trimmed name: reports show it, a run compares them */
    char *name = mpi_trim(a->label);
    memmove(a->label, name, strlen(name) + 1);
    name = a->label;
    char *colon = strchr(name, ':');
    char kind[32];
    snprintf(kind, sizeof kind, "%.*s", colon ? (int)(colon - name) : (int)strlen(name), name);
    a->group = -1;
    mp_status st = axis_parameter(plan, kind, colon ? colon + 1 : NULL, spec, a);
    return st != MP_OK ? st : axis_values(plan, a, eq + 1, spec);
}

mp_status mpi_axis_parse(const mp_plan *plan, const char *spec, mpi_axis *a)
{
    memset(a, 0, sizeof *a);
    if (!spec)
        return mpi_fail(MP_ERR_INPUT, N_("mp_whatif_run: an axis is NULL (expected NAME=VALUES)"));
    if (!mpi_utf8_valid(spec)) /* its name goes into the reports */
        return mpi_fail(MP_ERR_INPUT, N_("--vary %s: not valid UTF-8 text"), spec);
    mp_status st = parse_into(plan, spec, a);
    if (st != MP_OK)
        mpi_axis_free(a);
    return st;
}

void mpi_axis_apply(const mp_plan *plan, const mpi_axis *a, double v, mpi_scenario *sc)
{
    switch (a->kind) {
    case MPI_AX_INFLATION:
        if (a->group >= 0)
            sc->group_rate[a->group] = v;
        for (size_t c = 0; c < plan->nch && a->group < 0; c++)
            if (a->in[c])
                sc->rate[c] = v;
        break;
    case MPI_AX_BUDGET: sc->budget = v; break;
    case MPI_AX_COST:
        for (size_t c = 0; c < plan->nch; c++)
            if (a->in[c])
                sc->cost_mult[c] *= 1 + v;
        break;
    default: sc->bound[a->cons] = v;
    }
}

/* ---- warnings: the plan file's typical ranges for the values set -------- */

#define MPI_AXIS_SHOWN 3 /* values a warning lists before "and N more" */

/* What a warning lists, "150%, 200% and 3 more", one item at a time. */
typedef struct flagged {
    char text[512];
    size_t n;
} flagged;

static void flag(flagged *f, const char *item)
{
    size_t len = strlen(f->text);
    if (f->n < MPI_AXIS_SHOWN)
        snprintf(f->text + len, sizeof f->text - len, "%s%s", f->n ? ", " : "", item);
    f->n++;
}

static const char *flagged_list(const flagged *f, char *buf, size_t size, mpi_lang lang)
{
    if (f->n > MPI_AXIS_SHOWN)
        snprintf(buf, size, mpi_tr(lang, N_("%s and %zu more")), f->text, f->n - MPI_AXIS_SHOWN);
    else { /* a copy, cut to size */
        size_t n = strnlen(f->text, size - 1);
        memcpy(buf, f->text, n);
        buf[n] = 0;
    }
    return buf;
}

/* Outside t's range by more than the rounding a range's steps carry
 * (-99.99%..-99.98%/0.01% makes -0.99979999...: a cost per GRP of 5000
 * times 1 - 0.9998 is 1, not just under). */
static int outside(const mpi_typical *t, double v)
{
    return v < t->lo - 1e-9 * fabs(t->lo) || v > t->hi + 1e-9 * fabs(t->hi);
}

/* An inflation axis sets the yearly rate itself: the plan's `inflation`
 * rule, a bare 1 (100 %, most often 1 % misspelt) included. */
static mp_status warn_rate(const mpi_axis *a, const char *spec, mpi_diag *d)
{
    const mpi_typical *t = &mpi_typical_inflation;
    flagged f = {"", 0};
    int out = 0, bare_one = 0;
    for (size_t i = 0; i < a->n; i++) {
        double v = a->values[i];
        int one = a->bare[i] && fabs(v) == 1;
        if (!outside(t, v) && !one)
            continue;
        char shown[64];
        mpi_typical_value(shown, sizeof shown, v, t, NULL);
        flag(&f, shown);
        out |= outside(t, v);
        bare_one |= one;
    }
    if (!f.n)
        return MP_OK;
    char list[MPI_NLANG][640], range[MPI_NLANG][160];
    for (int g = 0; g < MPI_NLANG; g++)
        mpi_typical_range_in((mpi_lang)g, range[g], sizeof range[g], t, NULL);
    mp_status st;
    /* the words in each catalogue language: the workbook may read another */
    MPI_WARN_EACH(st, d, mpi_tr(lang_, N_("--vary %s: %s %s %s the typical range of %s (%s)%s")),
                  spec, flagged_list(&f, list[lang_], sizeof list[lang_], lang_),
                  f.n > 1 ? mpi_trc(lang_, "typical range", "are")
                          : mpi_trc(lang_, "typical range", "is"),
                  out ? mpi_trc(lang_, "typical range", "outside")
                      : mpi_trc(lang_, "typical range", "at the edge of"),
                  mpi_tr(lang_, t->what), range[lang_],
                  bare_one ? mpi_tr(lang_, "; a number without % is a fraction: write 1% if 1 % "
                                           "was meant")
                           : "");
    return st;
}

/* The typical range of a unit cost a cost axis moves and its name in a
 * sentence: the plan file has one for a CPM and a cost per GRP, none for a
 * CPC (bids come from the keyword export) or a cost per insertion. */
static const mpi_typical *cost_typical(const char *cost_name, const char **what)
{
    if (!strcmp(cost_name, "cpm")) {
        *what = N_("CPM");
        return &mpi_typical_cpm;
    }
    if (!strcmp(cost_name, "cpp")) {
        *what = N_("cost per GRP");
        return &mpi_typical_cpp;
    }
    return NULL;
}

/* A cost axis sets channel ch's unit cost to the plan's times 1 + the
 * change, at the data's prices: the plan file's rule applies to that cost. */
static mp_status warn_unit_cost(const mp_plan *plan, const mpi_axis *a, const char *spec,
                                const mpi_channel *ch, mpi_diag *d)
{
    const char *what = NULL;
    const mpi_typical *t = cost_typical(ch->ops->cost_name, &what);
    if (!t || !ch->ops->unit_cost)
        return MP_OK;
    double base = ch->ops->unit_cost(ch->params);
    flagged f[MPI_NLANG] = {{"", 0}};
    for (size_t i = 0; i < a->n; i++) {
        double v = base * (1 + a->values[i]);
        if (!outside(t, v))
            continue;
        char cost[64], item[128];
        mpi_typical_value(cost, sizeof cost, v, t, plan->currency);
        for (int g = 0; g < MPI_NLANG; g++) {
            snprintf(item, sizeof item, mpi_tr((mpi_lang)g, N_("%s at %+g%%")), cost,
                     a->values[i] * 100);
            flag(&f[g], item);
        }
    }
    if (!f[0].n)
        return MP_OK;
    char shown[64], list[MPI_NLANG][640], range[MPI_NLANG][160];
    mpi_typical_value(shown, sizeof shown, base, t, plan->currency);
    for (int g = 0; g < MPI_NLANG; g++)
        mpi_typical_range_in((mpi_lang)g, range[g], sizeof range[g], t, plan->currency);
    mp_status st;
    MPI_WARN_EACH(st, d,
                  mpi_tr(lang_, N_("--vary %s: the %s of %s, %s in the plan, becomes %s: outside "
                                   "the typical range of %s (%s)")),
                  spec, mpi_tr(lang_, what), ch->name, shown,
                  flagged_list(&f[lang_], list[lang_], sizeof list[lang_], lang_),
                  mpi_tr(lang_, t->what), range[lang_]);
    return st;
}

/* A reach bound without % counts people: as in the plan file, one of at
 * most 100 people under 1 % of the universe is most often a share misspelt. */
static mp_status warn_reach_people(const mp_plan *plan, const mpi_axis *a, const char *spec,
                                   mpi_diag *d)
{
    const mpi_expr *e = &plan->cons[a->cons].e;
    if (e->measure != MPI_M_KPI || e->kpi != MPI_REACH)
        return MP_OK;
    flagged f = {"", 0};
    double first = NAN;
    for (size_t i = 0; i < a->n; i++) {
        double v = a->values[i];
        if (!a->bare[i] || !(v > 0 && v <= 100) || !(plan->universe > 100 * v))
            continue;
        char item[64];
        snprintf(item, sizeof item, "%g", v);
        flag(&f, item);
        if (isnan(first))
            first = v;
    }
    if (!f.n)
        return MP_OK;
    char list[MPI_NLANG][640];
    mp_status st;
    MPI_WARN_EACH(st, d,
                  mpi_tr(lang_, N_("--vary %s: %s %s people of a universe of %.0f; write %g%% for "
                                   "a share of the universe")),
                  spec, flagged_list(&f, list[lang_], sizeof list[lang_], lang_),
                  f.n > 1 ? mpi_trc(lang_, "people", "count") : mpi_trc(lang_, "people", "counts"),
                  plan->universe, first);
    return st;
}

mp_status mpi_axis_warn(const mp_plan *plan, const mpi_axis *a, const char *spec, mpi_diag *d)
{
    mp_status st = MP_OK;
    switch (a->kind) {
    case MPI_AX_INFLATION: return warn_rate(a, spec, d);
    case MPI_AX_COST:
        for (size_t c = 0; st == MP_OK && c < plan->nch; c++)
            if (a->in[c])
                st = warn_unit_cost(plan, a, spec, &plan->ch[c], d);
        return st;
    case MPI_AX_CONSTRAINT: return warn_reach_people(plan, a, spec, d);
    default: return MP_OK; /* the plan file has no typical range for a budget */
    }
}
