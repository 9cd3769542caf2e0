/* The plan file: INI sections [plan], [channel "name"], [constraint "name"]
 * and [period N]. Keys are gathered first (so their order does not matter),
 * then applied: the plan's keys, periods, channels through their media model,
 * then constraint expressions, which may name any channel. */
#include "adapters.h"
#include "plan.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const plan_keys[] = {"name",
                                        "client",
                                        "currency",
                                        "budget",
                                        "budget_mode",
                                        "start",
                                        "periods",
                                        "period",
                                        "objective",
                                        "precision",
                                        "universe",
                                        "inflation",
                                        "seasonality",
                                        "period_budget",
                                        "co2_factors",
                                        "gap",
                                        "language",
                                        "baseline",
                                        "effective_frequency",
                                        "count_after",
                                        "risk",
                                        "draws",
                                        "must_hold",
                                        NULL};
static const char *const period_keys[] = {"budget", "weight", NULL};
static const char *const channel_common_keys[] = {"type",
                                                  "min_spend",
                                                  "max_spend",
                                                  "fixed_spend",
                                                  "co2",
                                                  "digital",
                                                  "inflation",
                                                  "price_date",
                                                  "effective_frequency",
                                                  "adstock",
                                                  "carryover_in",
                                                  "history",
                                                  "min_spend_active",
                                                  NULL};
static const char *const section_kinds[] = {"plan", "channel", "constraint", "period"};

size_t mp_plan_warning_count(const mp_plan *plan)
{
    return plan ? plan->diag.warn.n : 0;
}

const char *mp_plan_warning(const mp_plan *plan, size_t i)
{
    return plan && i < plan->diag.warn.n ? plan->diag.warn.v[i] : NULL;
}

size_t mp_plan_note_count(const mp_plan *plan)
{
    return plan ? plan->diag.notes.n : 0;
}

const char *mp_plan_note(const mp_plan *plan, size_t i)
{
    return plan && i < plan->diag.notes.n ? plan->diag.notes.v[i] : NULL;
}

char *mpi_plan_path(const mp_plan *plan, const char *rel)
{
    return mpi_path_resolve(plan->dir, rel);
}

size_t mp_plan_input_count(const mp_plan *plan)
{
    return plan ? plan->inputs.n : 0;
}

const char *mp_plan_input(const mp_plan *plan, size_t i)
{
    return plan && i < plan->inputs.n ? plan->inputs.v[i] : NULL;
}

/* Record a file the plan reads (once), before reading it. */
static mp_status note_input(mpi_strlist *inputs, const char *path)
{
    int index;
    return mpi_strlist_intern(inputs, path, (size_t)-1, &index);
}

static mp_status read_table(const mpi_model_ctx *ctx, const char *path, char delim, mpi_table *t)
{
    mp_status st = note_input(ctx->inputs, path);
    return st == MP_OK ? mpi_table_read(path, delim, t) : st;
}

static mp_status read_keywords(const mpi_model_ctx *ctx, const char *path, const char *currency,
                               mpi_strlist *warn, mpi_kwp *out)
{
    mp_status st = note_input(ctx->inputs, path);
    return st == MP_OK ? mpi_kwp_load(path, currency, warn, out) : st;
}

static mp_status rules_load(const mpi_model_ctx *ctx, const char *path, mpi_rules **out)
{
    mp_status st = note_input(ctx->inputs, path);
    return st == MP_OK ? mpi_rules_load(path, out) : st;
}

static mp_status read_robyn(const mpi_model_ctx *ctx, const char *path, const char *channel,
                            mpi_robyn *out)
{
    mp_status st = note_input(ctx->inputs, path);
    return st == MP_OK ? mpi_robyn_load(path, channel, out) : st;
}

/* The readers the engine lends its media models. */
static const mpi_model_io model_io = {
    .read_table = read_table,
    .read_keywords = read_keywords,
    .rules_load = rules_load,
    .rules_classify = mpi_rules_classify,
    .rules_count = mpi_rules_count,
    .rules_name = mpi_rules_name,
    .rules_kv = mpi_rules_kv,
    .rules_path = mpi_rules_path,
    .rules_note = mpi_rules_note,
    .rules_free = mpi_rules_free,
    .read_robyn = read_robyn,
};

/* What the models see of the plan, as far as it is known: called before the
 * channels' keys are applied (after the [plan] keys and the periods). */
static void sync_model_ctx(mp_plan *plan)
{
    mpi_model_ctx *x = &plan->mctx;
    x->plan_path = plan->path;
    x->dir = plan->dir;
    x->currency = plan->currency;
    x->precision = plan->precision;
    x->universe = plan->universe;
    x->cal.start = plan->start;
    x->cal.periods = plan->periods;
    x->cal.kind = plan->period_kind;
    x->cal.period_start = plan->period_start;
    x->diag = &plan->diag;
    x->groups = &plan->groups;
    x->inputs = &plan->inputs;
    x->io = &model_io;
    x->errors = plan->max_errors > 1 ? &plan->errors : NULL;
    x->max_errors = plan->max_errors;
}

/* A yearly rate such as 9%: above -100 %, at most 1000 %, a warning outside
 * the typical range of cost inflation. */
static mp_status get_rate(mp_plan *plan, const char *v, const mpi_loc *loc, double *out)
{
    return mpi_check_typical(mpi_get_rate(v, loc, out), &plan->diag, loc, v, out,
                             &mpi_typical_inflation, NULL);
}

void mp_plan_free(mp_plan *plan)
{
    if (!plan)
        return;
    for (size_t c = 0; c < plan->nch; c++) {
        mpi_channel *ch = &plan->ch[c];
        if (ch->ops && ch->ops->destroy)
            ch->ops->destroy(ch->params);
        free(ch->name);
        free(ch->co2_source);
        free(ch->history_path);
        mpi_booking_free(&ch->book);
        mpi_resp_free(&ch->resp);
    }
    free(plan->ch);
    for (size_t i = 0; i < plan->ncons; i++) {
        free(plan->cons[i].name);
        free(plan->cons[i].text);
        mpi_expr_free(&plan->cons[i].e);
    }
    free(plan->cons);
    for (size_t i = 0; i < plan->nkv; i++) {
        free(plan->kv[i].section);
        free(plan->kv[i].key);
        free(plan->kv[i].value);
    }
    free(plan->kv);
    mpi_diag_free(&plan->diag);
    mpi_strlist_free(&plan->errors);
    mpi_strlist_free(&plan->groups);
    mpi_strlist_free(&plan->inputs);
    free(plan->weight);
    free(plan->period_cap);
    free(plan->period_start);
    free(plan->path);
    free(plan->dir);
    free(plan->co2_path);
    free(plan->baseline_path);
    free(plan->baseline);
    free(plan->name);
    free(plan->client);
    free(plan->obj_eff_text);
    free(plan->currency);
    free(plan);
}

/* ---- errors: the first, or every one (up to MP_MAX_ERRORS) -------------- */

/* After a failed step: with errors collected (mp_plan_check), the message is
 * listed and MP_OK returned so that the load goes on with the next key,
 * section or channel; otherwise, out of memory, or at the last error listed,
 * st is returned and the load stops. */
static mp_status go_on(mp_plan *plan, mp_status st)
{
    if (st == MP_OK || st == MP_ERR_NOMEM || plan->max_errors <= 1 ||
        plan->errors.n >= plan->max_errors)
        return st;
    if (mpi_strlist_addf(&plan->errors, "%s", mp_last_error()) != MP_OK)
        return mpi_nomem();
    if (plan->first_error == MP_OK)
        plan->first_error = st;
    return plan->errors.n >= plan->max_errors ? st : MP_OK;
}

/* A failed step after which the load cannot go on (what follows depends on
 * it): listed like any error, and st returned. */
static mp_status stop(mp_plan *plan, mp_status st)
{
    mp_status r = go_on(plan, st);
    return r != MP_OK ? r : st;
}

/* ---- phase 1: gather ---------------------------------------------------- */

/* Split 'channel "tf1-prime"' into kind and name; returns the kind index or -1. */
static int split_section(const char *section, char *kind, size_t kn, char *name, size_t nn)
{
    const char *s = section;
    while (*s == ' ')
        s++;
    size_t i = 0;
    while (*s && *s != ' ' && *s != '"' && i + 1 < kn)
        kind[i++] = *s++;
    kind[i] = '\0';
    while (*s == ' ')
        s++;
    name[0] = '\0';
    if (*s == '"') {
        const char *e = strchr(s + 1, '"');
        if (!e || (size_t)(e - s - 1) >= nn)
            return -2;
        memcpy(name, s + 1, (size_t)(e - s - 1));
        name[e - s - 1] = '\0';
        s = e + 1;
        while (*s == ' ')
            s++;
    } else if (*s) {
        size_t j = 0;
        while (*s && *s != ' ' && j + 1 < nn)
            name[j++] = *s++;
        name[j] = '\0';
        while (*s == ' ')
            s++;
    }
    if (*s)
        return -2;
    for (int k = 0; k < 4; k++)
        if (!strcmp(kind, section_kinds[k]))
            return k;
    return -1;
}

static const mpi_kv *section_kv(const mp_plan *plan, const char *kind, const char *name,
                                const char *key)
{
    for (size_t i = 0; i < plan->nkv; i++) {
        char k[32], n[256];
        int ki = split_section(plan->kv[i].section, k, sizeof k, n, sizeof n);
        if (ki >= 0 && !strcmp(k, kind) && (!name || !strcmp(n, name)) &&
            !strcmp(plan->kv[i].key, key))
            return &plan->kv[i];
    }
    return NULL;
}

int mpi_plan_key_line(const mp_plan *plan, const char *kind, const char *name, const char *key)
{
    const mpi_kv *kv = section_kv(plan, kind, name, key);
    return kv ? kv->line : 0;
}

const char *mpi_plan_key_value(const mp_plan *plan, const char *kind, const char *name,
                               const char *key)
{
    const mpi_kv *kv = section_kv(plan, kind, name, key);
    return kv ? kv->value : NULL;
}

int mpi_plan_key_refused(const mp_plan *plan, const char *kind, const char *name, const char *key)
{
    const mpi_kv *kv = section_kv(plan, kind, name, key);
    return kv && kv->refused;
}

typedef struct gather {
    mp_plan *plan;
    int bad_section; /* the current section's header was refused: its keys are skipped */
    /* The last section header while it has no key yet (line 0: none), so
     * that an empty section is an error instead of vanishing. */
    int header_line;
    char header[320];
} gather;

/* A section header must be [plan], or [channel|constraint|period "name"]. */
static mp_status check_section(const mp_plan *plan, const char *section, int line, const char *key)
{
    mpi_loc loc = {plan->path, line, key};
    char kind[32], name[256];
    int k = split_section(section, kind, sizeof kind, name, sizeof name);
    if (!*section)
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("key outside any section (start with [plan])"));
    if (k == -2)
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("malformed section name [%s]"), section);
    if (k < 0) {
        const char *hint = mpi_suggest(kind, section_kinds, 4);
        mpi_loc sl = {plan->path, line, NULL};
        if (hint)
            return mpi_fail_at(MP_ERR_INPUT, &sl, N_("unknown section [%s] (did you mean [%s]?)"),
                               section, hint);
        return mpi_fail_at(MP_ERR_INPUT, &sl, N_("unknown section [%s]"), section);
    }
    if (k == 0 && *name)
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("[plan] takes no name"));
    if (k != 0 && !*name)
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("[%s] needs a name, as in [%s \"name\"]"), kind,
                           kind);
    if (mpi_text_chars(name) > MPI_MAX_NAME) /* README, Limits */
        return mpi_fail_at(MP_ERR_LIMIT, &loc,
                           N_("the name \"%s\" is %d characters long: a name holds at most %d; "
                              "shorten it"),
                           name, mpi_text_chars(name), MPI_MAX_NAME);
    return MP_OK;
}

/* Append section/key = value to the plan's raw keys. */
static mp_status add_kv(mp_plan *plan, const char *section, const char *key, const char *value,
                        int line)
{
    mpi_kv *kv = mpi_reserve(plan->kv, &plan->kvcap, plan->nkv + 1, sizeof *kv);
    if (!kv)
        return mpi_nomem();
    plan->kv = kv;
    kv = &plan->kv[plan->nkv];
    kv->section = mpi_strdup(section);
    kv->key = mpi_strdup(key);
    kv->value = mpi_strdup(value);
    kv->line = line;
    kv->refused = 0;
    kv->value_len = kv->value ? strlen(kv->value) : 0;
    kv->value_cap = kv->value_len + 1;
    if (!kv->section || !kv->key || !kv->value) {
        free(kv->section);
        free(kv->key);
        free(kv->value);
        return mpi_nomem();
    }
    plan->nkv++;
    return MP_OK;
}

/* What an empty section lacks, by kind: the message names the section and
 * the key it needs. */
static mp_status empty_section(const gather *g)
{
    static const char *const needs[] = {N_("budget = and start ="),
                                        N_("type = (and the keys of its media type)"),
                                        "expr =", N_("budget = or weight =")};
    mp_status st = check_section(g->plan, g->header, g->header_line, NULL);
    if (st != MP_OK)
        return st;
    char kind[32], name[256];
    int k = split_section(g->header, kind, sizeof kind, name, sizeof name);
    mpi_loc sl = {g->plan->path, g->header_line, NULL};
    mpi_lang l = mpi_msg_lang();
    return mpi_fail_at(MP_ERR_INPUT, &sl, N_("empty section [%s]: give it %s, or remove it"),
                       g->header, mpi_tr(l, k >= 0 ? needs[k] : N_("its keys")));
}

/* A section header (the INI reader's call with no key): the previous header
 * must have had a key. A header is checked with its first key, whose line
 * the messages give, or as an empty section. */
static mp_status on_section(gather *g, const char *section, int line)
{
    mp_status st = g->header_line ? empty_section(g) : MP_OK;
    g->header_line = line;
    g->bad_section = 0;
    snprintf(g->header, sizeof g->header, "%s", section);
    return st;
}

/* Append " more" to a value in place: the buffer doubles, so joining n continuation lines
 * costs O(total length), where reprinting the whole value each time cost O(n^2). */
static mp_status append_value(mpi_kv *kv, const char *more)
{
    size_t add = strlen(more);
    char *v = mpi_reserve(kv->value, &kv->value_cap, kv->value_len + add + 2, 1);
    if (!v)
        return mpi_nomem();
    kv->value = v;
    v[kv->value_len] = ' ';
    memcpy(v + kv->value_len + 1, more, add + 1);
    kv->value_len += add + 1;
    return MP_OK;
}

static mp_status gather_kv(gather *g, const char *section, const char *key, const char *value,
                           int line, int continued)
{
    mp_plan *plan = g->plan;
    if (!key)
        return on_section(g, section, line);
    g->header_line = 0;
    if (g->bad_section)
        return MP_OK; /* its header was reported once */
    mp_status st = check_section(plan, section, line, key);
    if (st != MP_OK) {
        g->bad_section = 1;
        return st;
    }
    /* An indented line continues the previous key's value. */
    if (continued && plan->nkv > 0) {
        mpi_kv *last = &plan->kv[plan->nkv - 1];
        if (!strcmp(last->section, section) && !strcmp(last->key, key))
            return append_value(last, value);
    }
    for (size_t i = 0; i < plan->nkv; i++)
        if (!strcmp(plan->kv[i].section, section) && !strcmp(plan->kv[i].key, key)) {
            mpi_loc loc = {plan->path, line, key};
            return mpi_fail_at(MP_ERR_INPUT, &loc, N_("duplicate key (first set at line %d)"),
                               plan->kv[i].line);
        }
    return add_kv(plan, section, key, value, line);
}

static mp_status on_kv(void *user, const char *section, const char *key, const char *value,
                       int line, int continued)
{
    gather *g = user;
    return go_on(g->plan, gather_kv(g, section, key, value, line, continued));
}

/* ---- phase 2: apply ------------------------------------------------------ */

static mp_status unknown_key(const mpi_loc *loc, const char *where, const char *const *a,
                             const char *const *b, const char *const *c, const char *const *d)
{
    const char *all[128];
    size_t n = 0;
    const char *const *lists[4] = {a, b, c, d};
    for (int l = 0; l < 4; l++)
        for (const char *const *k = lists[l]; k && *k && n < 128; k++)
            all[n++] = *k;
    const char *hint = mpi_suggest(loc->key, all, n);
    mpi_loc l2 = {loc->file, loc->line, NULL};
    if (hint)
        return mpi_fail_at(MP_ERR_INPUT, &l2, N_("unknown key \"%s\" in %s (did you mean \"%s\"?)"),
                           loc->key, where, hint);
    return mpi_fail_at(MP_ERR_INPUT, &l2, N_("unknown key \"%s\" in %s"), loc->key, where);
}

static int key_in(const char *key, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(key, *list))
            return 1;
    return 0;
}

/* Parse a list of numbers separated by commas or spaces into out[0..n-1]. */
static mp_status parse_list(const char *v, const mpi_loc *loc, double *out, int n)
{
    char *copy = mpi_strdup(v);
    if (!copy)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    int i = 0;
    mp_status st = MP_OK;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
        if (i >= n) {
            st = mpi_fail_at(MP_ERR_INPUT, loc, N_("more than %d values (one per period)"), n);
            break;
        }
        mpi_loc l2 = *loc;
        if ((st = mpi_get_nonneg(tok, MPI_U_PCT, NULL, &l2, &out[i])) != MP_OK)
            break;
        i++;
    }
    free(copy);
    if (st == MP_OK && i != n)
        st =
            mpi_fail_at(MP_ERR_INPUT, loc, N_("expected %d values (one per period), got %d"), n, i);
    return st;
}

static mp_status set_string(char **dst, const char *v)
{
    free(*dst);
    *dst = mpi_strdup(v);
    return *dst ? MP_OK : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
}

/* "max effective_reach(channel)": held by a constraint row on the channel's
 * impressions at their most (build_constraints, effective_obj.c). */
static mp_status effective_objective(mp_plan *plan, const mpi_loc *loc, const char *sense,
                                     const char *measure)
{
    if (!mpi_strieq(sense, "max"))
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("effective_reach is maximised: write \"max %s\""),
                           measure);
    char *text = mpi_strdup(measure);
    if (!text)
        return mpi_nomem();
    free(plan->obj_eff_text);
    plan->obj_eff_text = text;
    plan->obj_eff_line = loc->line;
    plan->obj_eff = 1;
    plan->obj_sense = 1;
    plan->obj_kpi = MPI_REACH; /* among the plans that reach it, the most people reached */
    return MP_OK;
}

/* An objective mixplan does not know, with the one it most likely is
 * ("max conversion": did you mean "max conversions"?). */
static mp_status objective_refused(const mpi_loc *loc, const char *v, const char *sense,
                                   const char *kpi)
{
    static const char *const known[] = {"max conversions", "max revenue", "max clicks",
                                        "max impressions", "max reach",   "max grp",
                                        "min cost",        "min co2"};
    char said[48];
    snprintf(said, sizeof said, "%s %s", sense, kpi);
    for (char *c = said; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    const char *hint = mpi_suggest(said, known, sizeof known / sizeof known[0]);
    mpi_lang l = mpi_msg_lang();
    return mpi_fail_at(MP_ERR_INPUT, loc,
                       N_("expected \"max conversions|revenue|clicks|impressions|reach|grp\", "
                          "\"min cost\" or \"min co2\", got \"%s\"%s%s%s"),
                       v, hint ? mpi_tr(l, N_(" (did you mean \"")) : "", hint ? hint : "",
                       hint ? mpi_tr(l, N_("\"?)")) : "");
}

static mp_status apply_objective(mp_plan *plan, const mpi_loc *loc, const char *v)
{
    char sense[8], kpi[32];
    const char *rest = v + strspn(v, " \t");
    rest += strcspn(rest, " \t");
    rest += strspn(rest, " \t");
    plan->obj_eff = 0;
    if (!strncmp(rest, "effective_reach", 15) && sscanf(v, "%7s", sense) == 1)
        return effective_objective(plan, loc, sense, rest);
    if (sscanf(v, "%7s %31s", sense, kpi) != 2)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected \"max <kpi>\", \"min cost\" or \"min co2\", got \"%s\""),
                           v);
    int q = mpi_kpi_find(kpi);
    if (mpi_strieq(sense, "max") && q > MPI_SPEND && q != MPI_CO2) {
        plan->obj_sense = 1;
        plan->obj_kpi = q;
        return MP_OK;
    }
    if (mpi_strieq(sense, "min") && (q == MPI_SPEND || q == MPI_CO2)) {
        plan->obj_sense = -1;
        plan->obj_kpi = q;
        return MP_OK;
    }
    return objective_refused(loc, v, sense, kpi);
}

/* Plan keys other than currency, periods, start and period (applied first). */
/* The certified optimality gap to reach (a share of the bound, as precision
 * is of a curve's range: a bare number is a fraction). */
static mp_status parse_gap(const char *v, const mpi_loc *loc, double *gap)
{
    double g;
    mp_status st = mpi_get_pos(v, MPI_U_PCT, NULL, loc, &g);
    if (st == MP_OK && mpi_bare_above_one(v, g))
        return mpi_get_frac(v, loc, &g); /* refused, with the hint */
    if (st == MP_OK && (g < 1e-5 || g > 0.1))
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected a gap between 0.001%% and 10%%, got \"%s\""), v);
    if (st == MP_OK)
        *gap = g;
    return st;
}

/* The gap, asked for: [plan] gap or --gap. */
static mp_status set_gap(mp_plan *plan, const char *v, const mpi_loc *loc)
{
    mp_status st = parse_gap(v, loc, &plan->gap);
    plan->gap_set |= st == MP_OK;
    return st;
}

mp_status mp_plan_set_gap(mp_plan *plan, const char *gap)
{
    mpi_clear_error();
    if (!plan || !gap)
        return mpi_fail(MP_ERR_INPUT, N_("mp_plan_set_gap: no plan or no gap given"));
    mpi_loc loc = {"--gap", 0, NULL};
    return set_gap(plan, gap, &loc);
}

/* The workbook's language, by its code; the terminal's follows the locale. */
static mp_status parse_language(const char *v, const mpi_loc *loc, int *lang)
{
    int l = mpi_lang_parse(v);
    if (l < 0)
        return mpi_fail_at(
            MP_ERR_INPUT, loc,
            N_("expected the workbook's language, en or fr, got \"%s\" (the terminal "
               "summary follows LANG)"),
            v);
    *lang = l;
    return MP_OK;
}

mp_status mp_plan_set_language(mp_plan *plan, const char *lang)
{
    mpi_clear_error();
    if (!plan || !lang)
        return mpi_fail(MP_ERR_INPUT, N_("mp_plan_set_language: no plan or no language given"));
    mpi_loc loc = {"--lang", 0, NULL};
    return parse_language(lang, &loc, &plan->lang);
}

const char *mp_plan_language(const mp_plan *plan)
{
    return plan ? mpi_lang_code((mpi_lang)plan->lang) : NULL;
}

/* The [plan] keys that name a file read later, relative to the plan: CO2e
 * factors, and the planner's current plan (baseline_load.c, once the
 * channels are known). */
static mp_status apply_file_key(mp_plan *plan, const mpi_loc *loc, const char *v)
{
    if (!strcmp(loc->key, "baseline")) {
        free(plan->baseline_path);
        plan->baseline_path = mpi_plan_path(plan, v);
        plan->baseline_line = loc->line;
        return plan->baseline_path ? MP_OK : mpi_nomem();
    }
    if (!strcmp(loc->key, "co2_factors")) {
        free(plan->co2_path);
        plan->co2_path = mpi_plan_path(plan, v);
        return plan->co2_path ? MP_OK : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    return unknown_key(loc, "[plan]", plan_keys, NULL, NULL, NULL);
}

/* [plan] count_after: periods after the plan whose carried-over response
 * counts, from 0 to MPI_MAX_PERIODS. */
static mp_status get_count_after(mp_plan *plan, const char *v, const mpi_loc *loc)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < 0 || n > MPI_MAX_PERIODS)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("expected a whole number of periods after the plan, from 0 to %d "
                              "(count_after = 4), got \"%s\""),
                           MPI_MAX_PERIODS, v);
    plan->count_after = (int)n;
    plan->count_after_line = loc->line;
    return MP_OK;
}

static mp_status apply_plan_key(mp_plan *plan, const mpi_loc *loc, const char *v)
{
    const char *k = loc->key;
    const char *cur = plan->currency;
    if (!strcmp(k, "name"))
        return set_string(&plan->name, v);
    if (!strcmp(k, "client"))
        return set_string(&plan->client, v);
    if (!strcmp(k, "budget"))
        return mpi_check_limit(mpi_get_pos(v, MPI_U_KM | MPI_U_CUR, cur, loc, &plan->budget), loc,
                               &plan->budget, &mpi_limit_amount, cur);
    if (!strcmp(k, "budget_mode")) {
        if (mpi_strieq(v, "cap"))
            plan->budget_exact = 0;
        else if (mpi_strieq(v, "exact"))
            plan->budget_exact = 1;
        else
            return mpi_fail_at(MP_ERR_INPUT, loc, N_("expected cap or exact, got \"%s\""), v);
        return MP_OK;
    }
    if (!strcmp(k, "objective"))
        return apply_objective(plan, loc, v);
    if (!strcmp(k, "precision")) {
        /* a share of the curve's range: a bare number is a fraction, as for rates */
        mp_status st = mpi_get_pos(v, MPI_U_PCT, NULL, loc, &plan->precision);
        if (st == MP_OK && mpi_bare_above_one(v, plan->precision))
            return mpi_get_frac(v, loc, &plan->precision); /* refused, with the hint */
        if (st == MP_OK && (plan->precision < 1e-5 || plan->precision > 0.1))
            return mpi_fail_at(MP_ERR_INPUT, loc,
                               N_("expected a tolerance between 0.001%% and 10%%, got \"%s\""), v);
        return st;
    }
    if (!strcmp(k, "gap"))
        return set_gap(plan, v, loc);
    if (!strcmp(k, "count_after"))
        return get_count_after(plan, v, loc);
    if (!strcmp(k, "risk") || !strcmp(k, "draws") || !strcmp(k, "must_hold"))
        return mpi_draws_plan_key(plan, loc, v);
    if (!strcmp(k, "language"))
        return parse_language(v, loc, &plan->lang);
    if (!strcmp(k, "universe"))
        return mpi_get_pos(v, MPI_U_KM, NULL, loc, &plan->universe);
    if (!strcmp(k, "effective_frequency"))
        return mpi_get_frequency(v, loc, &plan->eff_freq);
    if (!strcmp(k, "inflation"))
        return get_rate(plan, v, loc, &plan->search_inflation);
    if (!strcmp(k, "seasonality"))
        return parse_list(v, loc, plan->weight, plan->periods);
    if (!strcmp(k, "period_budget")) {
        double cap;
        mp_status st = mpi_check_limit(mpi_get_pos(v, MPI_U_KM | MPI_U_CUR, cur, loc, &cap), loc,
                                       &cap, &mpi_limit_amount, cur);
        for (int t = 0; st == MP_OK && t < plan->periods; t++)
            if (cap < plan->period_cap[t])
                plan->period_cap[t] = cap;
        return st;
    }
    return apply_file_key(plan, loc, v);
}

static mp_status apply_period_key(mp_plan *plan, const mpi_loc *loc, const char *name,
                                  const char *v)
{
    char *end;
    long t = strtol(name, &end, 10);
    mpi_loc sl = {loc->file, loc->line, NULL};
    if (*end || t < 1 || t > plan->periods)
        return mpi_fail_at(MP_ERR_INPUT, &sl, N_("[period %s]: expected a period from 1 to %d"),
                           name, plan->periods);
    if (!strcmp(loc->key, "budget"))
        return mpi_check_limit(
            mpi_get_nonneg(v, MPI_U_KM | MPI_U_CUR, plan->currency, loc, &plan->period_cap[t - 1]),
            loc, &plan->period_cap[t - 1], &mpi_limit_amount, plan->currency);
    if (!strcmp(loc->key, "weight"))
        return mpi_get_nonneg(v, MPI_U_PCT, NULL, loc, &plan->weight[t - 1]);
    return unknown_key(loc, "[period]", period_keys, NULL, NULL, NULL);
}

static mpi_channel *channel_find(mp_plan *plan, const char *name)
{
    for (size_t c = 0; c < plan->nch; c++)
        if (!strcmp(plan->ch[c].name, name))
            return &plan->ch[c];
    return NULL;
}

static const mpi_kv *find_kv(const mp_plan *plan, const char *section, const char *key)
{
    for (size_t i = 0; i < plan->nkv; i++)
        if (!strcmp(plan->kv[i].section, section) && !strcmp(plan->kv[i].key, key))
            return &plan->kv[i];
    return NULL;
}

/* The carryover keys of a channel: adstock (a rate in [0, 1)), the
 * adstocked spend carried in, or the file of past spends to compute it. */
static mp_status apply_adstock_key(mp_plan *plan, mpi_channel *ch, const mpi_loc *loc,
                                   const char *v)
{
    const char *k = loc->key;
    if (!strcmp(k, "adstock")) {
        ch->adstock_line = loc->line;
        mp_status st = mpi_get_nonneg(v, 0, NULL, loc, &ch->adstock);
        if (st == MP_OK && !(ch->adstock < 1))
            return mpi_fail_at(
                MP_ERR_INPUT, loc,
                N_("expected the share of last period's adstock kept, from 0 up to but not "
                   "including 1 (adstock = 0.6), got \"%s\""),
                v);
        return st;
    }
    if (!strcmp(k, "carryover_in")) {
        ch->carry_line = loc->line;
        return mpi_check_limit(
            mpi_get_nonneg(v, MPI_U_KM | MPI_U_CUR, plan->currency, loc, &ch->carry_in), loc,
            &ch->carry_in, &mpi_limit_amount, plan->currency);
    }
    ch->history_line = loc->line; /* history */
    free(ch->history_path);
    ch->history_path = mpi_plan_path(plan, v);
    return ch->history_path ? MP_OK : mpi_nomem();
}

static mp_status get_digital(mpi_channel *ch, const mpi_loc *loc, const char *v)
{
    if (mpi_strieq(v, "yes") || mpi_strieq(v, "true") || !strcmp(v, "1"))
        ch->digital = 1;
    else if (mpi_strieq(v, "no") || mpi_strieq(v, "false") || !strcmp(v, "0"))
        ch->digital = 0;
    else
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("expected yes or no, got \"%s\""), v);
    return MP_OK;
}

static mp_status apply_channel_value(mp_plan *plan, mpi_channel *ch, const mpi_loc *loc,
                                     const char *v);

/* A value with a range after it ("620 ± 15%", uncertain curves, draws.c):
 * the range recorded, the value applied as the key's. */
static mp_status apply_channel_key(mp_plan *plan, mpi_channel *ch, const mpi_loc *loc,
                                   const char *v)
{
    char base[256];
    const char *rel;
    if (!mpi_range_split(v, base, sizeof base, &rel))
        return apply_channel_value(plan, ch, loc, v);
    mp_status st = mpi_range_set(&ch->resp, ch, loc, base, rel);
    return st == MP_OK ? apply_channel_value(plan, ch, loc, base) : st;
}

static mp_status apply_channel_value(mp_plan *plan, mpi_channel *ch, const mpi_loc *loc,
                                     const char *v)
{
    const char *k = loc->key;
    const char *cur = plan->currency;
    if (!strcmp(k, "type"))
        return MP_OK;
    if (!strcmp(k, "adstock") || !strcmp(k, "carryover_in") || !strcmp(k, "history"))
        return apply_adstock_key(plan, ch, loc, v);
    if (mpi_booking_key(k))
        return mpi_booking_set(plan, ch, loc, v);
    if (!strcmp(k, "min_spend")) {
        ch->min_line = loc->line;
        return mpi_check_limit(mpi_get_nonneg(v, MPI_U_KM | MPI_U_CUR, cur, loc, &ch->min_spend),
                               loc, &ch->min_spend, &mpi_limit_amount, cur);
    }
    if (!strcmp(k, "max_spend")) {
        ch->max_line = loc->line;
        return mpi_check_limit(mpi_get_nonneg(v, MPI_U_KM | MPI_U_CUR, cur, loc, &ch->max_spend),
                               loc, &ch->max_spend, &mpi_limit_amount, cur);
    }
    if (!strcmp(k, "fixed_spend")) {
        ch->fixed_line = loc->line;
        return mpi_check_limit(mpi_get_nonneg(v, MPI_U_KM | MPI_U_CUR, cur, loc, &ch->fixed_spend),
                               loc, &ch->fixed_spend, &mpi_limit_amount, cur);
    }
    if (!strcmp(k, "co2")) {
        free(ch->co2_source);
        ch->co2_source = mpi_aprintf("%s, line %d", plan->path, loc->line);
        return mpi_get_nonneg(v, MPI_U_TONNE, NULL, loc, &ch->co2_per_unit);
    }
    if (!strcmp(k, "inflation")) {
        ch->has_inflation = 1;
        return get_rate(plan, v, loc, &ch->inflation);
    }
    if (!strcmp(k, "effective_frequency"))
        return mpi_get_frequency(v, loc, &plan->eff_freq_ch[ch - plan->ch]);
    if (!strcmp(k, "price_date")) {
        return mpi_parse_date(v, &ch->price_day) != 0 ? mpi_fail_date(loc, v) : MP_OK;
    }
    if (!strcmp(k, "digital"))
        return get_digital(ch, loc, v);
    if (key_in(k, ch->ops->keys))
        return ch->ops->set(ch->params, &plan->mctx, loc, v);
    int taken = 0;
    mp_status st = mpi_resp_set(&ch->resp, &plan->mctx, loc, v, &taken);
    if (st != MP_OK || taken)
        return st;
    return unknown_key(loc, mpi_tr(mpi_msg_lang(), ch->ops->kind), channel_common_keys,
                       ch->ops->keys, mpi_resp_keys, mpi_booking_keys(ch));
}

/* CO2e factors from the plan's co2_factors table, for channels whose co2 the
 * plan does not give: the first row of the channel's media type. */
static mp_status load_co2(mp_plan *plan)
{
    if (!plan->co2_path)
        return MP_OK;
    mpi_co2_factor *f = NULL;
    size_t n = 0;
    mp_status st = note_input(&plan->inputs, plan->co2_path);
    if (st == MP_OK)
        st = mpi_co2_load(plan->co2_path, &plan->diag.notes, &f, &n);
    for (size_t i = 0; st == MP_OK && i < n; i++)
        for (size_t c = 0; c < plan->nch; c++) {
            mpi_channel *ch = &plan->ch[c];
            if (ch->co2_source || strcmp(f[i].media, ch->ops->type) != 0)
                continue;
            ch->co2_per_unit = f[i].kg_per_unit;
            if (!(ch->co2_source = mpi_strdup(f[i].source))) {
                st = mpi_nomem();
                break;
            }
        }
    mpi_co2_free(f, n);
    return st;
}

/* The planner's current plan, when the plan names one. */
static mp_status load_baseline(mp_plan *plan)
{
    if (!plan->baseline_path)
        return MP_OK;
    mpi_loc loc = {plan->path, plan->baseline_line, "baseline"};
    mp_status st = note_input(&plan->inputs, plan->baseline_path);
    return st == MP_OK ? mpi_baseline_load(plan, &loc) : st;
}

/* The media model of the channel declared by raw key i: its name must be
 * free and its type one of the registry's. */
static mp_status channel_model(const mp_plan *plan, size_t i, const char *name,
                               const mpi_model_ops **ops)
{
    mpi_loc sl = {plan->path, plan->kv[i].line, NULL};
    if (plan->nch >= MPI_MAX_CHANNELS)
        return mpi_fail_at(MP_ERR_LIMIT, &sl, N_("more than %d channels"), MPI_MAX_CHANNELS);
    if (mpi_model_find(name) || !strcmp(name, "digital") || !strcmp(name, "offline") ||
        !strcmp(name, "all"))
        return mpi_fail_at(MP_ERR_INPUT, &sl,
                           N_("channel name \"%s\" is reserved for a media type; choose another"),
                           name);
    const mpi_kv *tk = find_kv(plan, plan->kv[i].section, "type");
    char types[256];
    mpi_model_type_list(types, sizeof types);
    if (!tk)
        return mpi_fail_at(MP_ERR_INPUT, &sl, N_("channel \"%s\" has no type (%s)"), name, types);
    if ((*ops = mpi_model_find(tk->value)))
        return MP_OK;
    const char *names[MPI_MAX_MODELS];
    for (size_t m = 0; m < mpi_model_count; m++)
        names[m] = mpi_models[m]->type;
    const char *hint = mpi_suggest(tk->value, names, mpi_model_count);
    mpi_loc tl = {plan->path, tk->line, "type"};
    return mpi_fail_at(MP_ERR_INPUT, &tl, N_("unknown media type \"%s\"%s%s%s (expected %s)"),
                       tk->value, hint ? mpi_tr(mpi_msg_lang(), N_(" (did you mean ")) : "",
                       hint ? hint : "", hint ? mpi_tr(mpi_msg_lang(), N_("?)")) : "", types);
}

/* A new channel of the plan with every key of its section applied. */
static mp_status add_channel(mp_plan *plan, size_t i, const char *name, const mpi_model_ops *ops)
{
    mpi_channel *ch = &plan->ch[plan->nch];
    memset(ch, 0, sizeof *ch);
    ch->name = mpi_strdup(name);
    ch->line = plan->kv[i].line;
    ch->ops = ops;
    ch->params = ops->create();
    ch->digital = ops->digital;
    ch->min_spend = ch->max_spend = ch->fixed_spend = NAN;
    ch->price_day = -1;
    plan->nch++;
    if (!ch->name || !ch->params)
        return mpi_nomem();
    for (size_t j = 0; j < plan->nkv; j++) {
        if (strcmp(plan->kv[j].section, plan->kv[i].section) != 0)
            continue;
        mpi_loc loc = {plan->path, plan->kv[j].line, plan->kv[j].key};
        size_t listed = plan->errors.n;
        mp_status st = go_on(plan, apply_channel_key(plan, ch, &loc, plan->kv[j].value));
        if (st != MP_OK)
            return st;
        plan->kv[j].refused = plan->errors.n > listed;
        ch->key_refused |= plan->kv[j].refused;
    }
    return MP_OK;
}

/* A channel's limits agree, its default inflation is set, and its model and
 * response curve check their keys and load their datasets. */
static mp_status check_channel(mp_plan *plan, mpi_channel *ch)
{
    mpi_loc loc = {plan->path, ch->line, NULL};
    if (!isnan(ch->fixed_spend) && (!isnan(ch->min_spend) || !isnan(ch->max_spend)))
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": fixed_spend excludes min_spend and max_spend"),
                           ch->name);
    if (!isnan(ch->min_spend) && !isnan(ch->max_spend) && ch->min_spend > ch->max_spend)
        return mpi_fail_at(MP_ERR_INPUT, &loc,
                           N_("channel \"%s\": min_spend %g is above max_spend %g"), ch->name,
                           ch->min_spend, ch->max_spend);
    /* The plan's default rate is for search CPCs; other costs inflate only when said. */
    if (!ch->has_inflation && ch->ops->cost_name && !strcmp(ch->ops->cost_name, "cpc"))
        ch->inflation = plan->search_inflation;
    mp_status st = mpi_booking_check_spots(plan, ch);
    if (st == MP_OK)
        st = mpi_robyn_apply(&ch->resp, &plan->mctx, ch);
    if (st == MP_OK)
        st = ch->ops->check(ch->params, &plan->mctx, ch);
    if (st == MP_OK)
        st = mpi_resp_check(&ch->resp, &plan->mctx, ch);
    return st;
}

/* Whether a key before raw key i is in the same section (a channel left out
 * for an error is reported once, at its first key). */
static int section_seen(const mp_plan *plan, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (!strcmp(plan->kv[j].section, plan->kv[i].section))
            return 1;
    return 0;
}

static mp_status build_channels(mp_plan *plan)
{
    /* Channels in file order. */
    for (size_t i = 0; i < plan->nkv; i++) {
        char kind[32], name[256];
        if (split_section(plan->kv[i].section, kind, sizeof kind, name, sizeof name) != 1 ||
            channel_find(plan, name) || section_seen(plan, i))
            continue;
        const mpi_model_ops *ops;
        mp_status st = channel_model(plan, i, name, &ops);
        if (st == MP_OK)
            st = add_channel(plan, i, name, ops);
        else /* this channel is left out; go on with the next one */
            st = plan->nch < MPI_MAX_CHANNELS ? go_on(plan, st) : stop(plan, st);
        if (st != MP_OK)
            return st;
    }
    mp_status st = go_on(plan, load_co2(plan));
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++) { /* a refused key is listed already */
        mpi_channel *ch = &plan->ch[c];
        size_t listed = plan->errors.n;
        st = ch->key_refused ? MP_OK : go_on(plan, check_channel(plan, ch));
        ch->failed = ch->key_refused || plan->errors.n > listed;
    }
    return st;
}

/* A reach bound without % counts people. "reach(tv) >= 60" beside a
 * universe of millions is 60 % misspelt far more often than 60 people (under
 * 1 % of the universe), so it gets a warning; the bound stays as written. */
static mp_status warn_reach_in_people(mp_plan *plan, const mpi_constraint *c, const mpi_loc *loc)
{
    const mpi_expr *e = &c->e;
    if (e->measure != MPI_M_KPI || e->kpi != MPI_REACH || strchr(c->text, '%') ||
        !(e->value > 0 && e->value <= 100) || !(plan->universe > 100 * e->value))
        return MP_OK;
    return mpi_warn(&plan->diag,
                    N_("%s:%d: %s: \"%s\" counts %g people of a universe of %.0f; write %g%% for a "
                       "share of the universe"),
                    loc->file, loc->line, loc->key, c->text, e->value, plan->universe, e->value);
}

/* A constraint that reads what was refused cannot be judged (a keyword
 * group of a channel whose errors are listed may be in the rules file it
 * could not read; an effective reach needs its channel's keys, the universe
 * and the frequency): it is left out, not reported as a second, wrong error. */
static void drop_last_constraint(mp_plan *plan)
{
    mpi_constraint *c = &plan->cons[--plan->ncons];
    free(c->name);
    free(c->text);
    mpi_expr_free(&c->e);
    memset(c, 0, sizeof *c);
}

/* max effective_reach(channel): the row that holds it, "objective", read
 * from the objective's text at its line (its bound is set as the plan is
 * solved: effective_obj.c). */
static mp_status objective_constraint(mp_plan *plan)
{
    if (!plan->obj_eff)
        return MP_OK;
    mpi_constraint *c = &plan->cons[plan->ncons];
    memset(c, 0, sizeof *c);
    c->name = mpi_strdup("objective");
    c->text = mpi_aprintf("%s >= 0", plan->obj_eff_text);
    c->line = plan->obj_eff_line;
    plan->obj_eff_cons = plan->ncons++;
    if (!c->name || !c->text)
        return mpi_nomem();
    mpi_loc loc = {plan->path, plan->obj_eff_line, "objective"};
    mp_status st = mpi_expr_parse(plan, c->text, &loc, &c->e);
    free(c->text);
    c->text = mpi_aprintf("max %s", plan->obj_eff_text);
    if (st == MP_OK && !c->text)
        st = mpi_nomem();
    if (st != MP_OK)
        plan->obj_eff = 0;
    if (st != MP_OK && c->e.unjudged) { /* its channel's error is listed above */
        drop_last_constraint(plan);
        return MP_OK;
    }
    return st;
}

static mp_status build_constraints(mp_plan *plan)
{
    for (size_t i = 0; i < plan->nkv; i++) {
        char kind[32], name[256];
        if (split_section(plan->kv[i].section, kind, sizeof kind, name, sizeof name) != 2)
            continue;
        mpi_loc loc = {plan->path, plan->kv[i].line, plan->kv[i].key};
        if (!strcmp(plan->kv[i].key, "must_hold"))
            continue; /* once every constraint is read: must_hold_keys */
        if (strcmp(plan->kv[i].key, "expr") != 0) {
            static const char *const ck[] = {"expr", "must_hold", NULL};
            mp_status st = go_on(plan, unknown_key(&loc, "[constraint]", ck, NULL, NULL, NULL));
            if (st != MP_OK)
                return st;
            continue;
        }
        if (plan->ncons >= MPI_MAX_CONSTRAINTS)
            return stop(plan, mpi_fail_at(MP_ERR_LIMIT, &loc, N_("more than %d constraints"),
                                          MPI_MAX_CONSTRAINTS));
        mpi_constraint *c = &plan->cons[plan->ncons];
        memset(c, 0, sizeof *c);
        c->name = mpi_strdup(name);
        c->text = mpi_strdup(plan->kv[i].value);
        c->line = plan->kv[i].line;
        plan->ncons++;
        if (!c->name || !c->text)
            return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
        mp_status st = mpi_expr_parse(plan, c->text, &loc, &c->e);
        if (st != MP_OK && c->e.unjudged) { /* its channel's error is listed above */
            drop_last_constraint(plan);
            continue;
        }
        if (st == MP_OK)
            st = warn_reach_in_people(plan, c, &loc);
        st = go_on(plan, st);
        if (st != MP_OK)
            return st;
    }
    return go_on(plan, objective_constraint(plan));
}

/* [constraint "x"] must_hold = all | mean, given before or after its expr. */
static mp_status must_hold_keys(mp_plan *plan)
{
    for (size_t i = 0; i < plan->nkv; i++) {
        char kind[32], name[256];
        if (strcmp(plan->kv[i].key, "must_hold") ||
            split_section(plan->kv[i].section, kind, sizeof kind, name, sizeof name) != 2)
            continue;
        mpi_loc loc = {plan->path, plan->kv[i].line, "must_hold"};
        for (size_t c = 0; c < plan->ncons; c++) {
            if (strcmp(plan->cons[c].name, name))
                continue;
            mp_status st =
                go_on(plan, mpi_must_hold_value(&loc, plan->kv[i].value, &plan->cons[c].must_hold));
            if (st != MP_OK)
                return st;
            plan->cons[c].must_hold_line = loc.line;
        }
    }
    return MP_OK;
}

/* periods = N: what every period key is checked against. */
static mp_status read_periods(mp_plan *plan)
{
    const mpi_kv *kv = find_kv(plan, "plan", "periods");
    plan->periods = 1;
    if (!kv)
        return MP_OK;
    mpi_loc loc = {plan->path, kv->line, "periods"};
    char *end;
    long n = strtol(kv->value, &end, 10);
    if (*mpi_trim(end) || end == kv->value || n < 1)
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("expected a whole number of periods, got \"%s\""),
                           kv->value);
    if (n > MPI_MAX_PERIODS)
        return mpi_fail_at(MP_ERR_LIMIT, &loc, N_("%ld periods: at most %d are supported"), n,
                           MPI_MAX_PERIODS);
    plan->periods = (int)n;
    return MP_OK;
}

/* period = week|month and start = YYYY-MM-DD; nothing else depends on them
 * being right, so a load listing errors goes on (weeks from day 0). */
static mp_status read_kind_and_start(mp_plan *plan)
{
    const mpi_kv *kv;
    mp_status st = MP_OK;
    plan->period_kind = MPI_WEEK;
    if ((kv = find_kv(plan, "plan", "period"))) {
        mpi_loc loc = {plan->path, kv->line, "period"};
        if (mpi_strieq(kv->value, "month"))
            plan->period_kind = MPI_MONTH;
        else if (!mpi_strieq(kv->value, "week"))
            st = go_on(plan, mpi_fail_at(MP_ERR_INPUT, &loc,
                                         N_("expected week or month, got \"%s\""), kv->value));
    }
    if (st != MP_OK)
        return st;
    if (!(kv = find_kv(plan, "plan", "start"))) {
        mpi_loc loc = {plan->path, 0, NULL};
        return go_on(plan, mpi_fail_at(MP_ERR_INPUT, &loc, N_("[plan] needs start = YYYY-MM-DD")));
    }
    mpi_loc loc = {plan->path, kv->line, "start"};
    if (mpi_parse_date(kv->value, &plan->start) != 0)
        return go_on(plan, mpi_fail_date(&loc, kv->value));
    return MP_OK;
}

static mp_status setup_periods(mp_plan *plan)
{
    mp_status st = stop(plan, read_periods(plan));
    if (st == MP_OK)
        st = read_kind_and_start(plan);
    if (st != MP_OK)
        return st;
    int n = plan->periods;
    plan->weight = mpi_calloc((size_t)n, sizeof(double));
    plan->period_cap = mpi_calloc((size_t)n, sizeof(double));
    plan->period_start = mpi_calloc((size_t)n + 1, sizeof(long));
    if (!plan->weight || !plan->period_cap || !plan->period_start)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    int y, m, d;
    mpi_civil_from_days(plan->start, &y, &m, &d);
    for (int t = 0; t <= n; t++) {
        if (t < n) {
            plan->weight[t] = 1;
            plan->period_cap[t] = INFINITY;
        }
        if (plan->period_kind == MPI_WEEK) {
            plan->period_start[t] = plan->start + 7L * t;
        } else {
            int mm = (m - 1 + t) % 12 + 1, yy = y + (m - 1 + t) / 12;
            int dd = d <= mpi_days_in_month(yy, mm) ? d : mpi_days_in_month(yy, mm);
            plan->period_start[t] = mpi_days_from_civil(yy, mm, dd);
        }
    }
    return MP_OK;
}

/* The currency (checked first: amounts are read in it) and the defaults. */
static mp_status plan_defaults(mp_plan *plan)
{
    const mpi_kv *kv = find_kv(plan, "plan", "currency");
    if (kv) {
        mpi_loc loc = {plan->path, kv->line, "currency"};
        const char *v = kv->value;
        if (strlen(v) != 3 || !isupper((unsigned char)v[0]) || !isupper((unsigned char)v[1]) ||
            !isupper((unsigned char)v[2]))
            return stop(plan,
                        mpi_fail_at(MP_ERR_INPUT, &loc,
                                    N_("expected an ISO 4217 code such as EUR, got \"%s\""), v));
    }
    plan->currency = mpi_strdup(kv ? kv->value : "EUR");
    plan->name = mpi_strdup("Untitled plan");
    plan->client = mpi_strdup("");
    if (!plan->currency || !plan->name || !plan->client)
        return mpi_nomem();
    plan->precision = 0.001;
    plan->gap = 0.001;
    plan->obj_sense = 1;
    plan->obj_kpi = MPI_CONVERSIONS;
    plan->search_inflation = 0;
    return MP_OK;
}

/* The [plan] and [period N] keys; counts the channel and constraint keys,
 * which bound how many of each there are. */
static mp_status plan_and_period_keys(mp_plan *plan, size_t *nch, size_t *ncons)
{
    *nch = *ncons = 0;
    for (size_t i = 0; i < plan->nkv; i++) {
        mpi_kv *v = &plan->kv[i];
        char kind[32], name[256];
        int k = split_section(v->section, kind, sizeof kind, name, sizeof name);
        mpi_loc loc = {plan->path, v->line, v->key};
        mp_status st = MP_OK;
        if (k == 0 && strcmp(v->key, "currency") && strcmp(v->key, "periods") &&
            strcmp(v->key, "period") && strcmp(v->key, "start"))
            st = apply_plan_key(plan, &loc, v->value);
        else if (k == 3)
            st = apply_period_key(plan, &loc, name, v->value);
        *nch += k == 1;
        *ncons += k == 2;
        v->refused = st != MP_OK;
        if ((st = go_on(plan, st)) != MP_OK)
            return st;
    }
    if (!find_kv(plan, "plan", "budget")) {
        mpi_loc loc = {plan->path, 0, NULL};
        return go_on(plan, mpi_fail_at(MP_ERR_INPUT, &loc, N_("[plan] needs budget")));
    }
    return MP_OK;
}

static mp_status apply(mp_plan *plan)
{
    size_t nch, ncons;
    mp_status st = plan_defaults(plan);
    if (st == MP_OK)
        st = setup_periods(plan);
    if (st == MP_OK)
        st = plan_and_period_keys(plan, &nch, &ncons);
    if (st != MP_OK)
        return st;
    plan->ch = mpi_calloc(nch ? nch : 1, sizeof *plan->ch);
    plan->cons = mpi_calloc(ncons + 1, sizeof *plan->cons); /* + max effective_reach's */
    if (!plan->ch || !plan->cons)
        return mpi_nomem();
    sync_model_ctx(plan);
    if ((st = build_channels(plan)) != MP_OK)
        return st;
    if (plan->nch == 0 && plan->errors.n)
        return plan->first_error; /* the channels' errors are listed: constraints would name none */
    if (plan->nch == 0) {
        mpi_loc loc = {plan->path, 0, NULL};
        return stop(plan, mpi_fail_at(MP_ERR_INPUT, &loc,
                                      N_("the plan has no [channel \"name\"] section")));
    }
    if ((st = build_constraints(plan)) != MP_OK || (st = must_hold_keys(plan)) != MP_OK)
        return st;
    if ((st = go_on(plan, mpi_reach_check(plan))) != MP_OK) /* de-duplicated reach's needs */
        return st;
    if ((st = go_on(plan, mpi_adstock_load(plan))) != MP_OK)
        return st;
    if ((st = go_on(plan, mpi_flights_load(plan))) != MP_OK)
        return st;
    if ((st = go_on(plan, mpi_draws_load(plan))) != MP_OK)
        return st;
    return go_on(plan, load_baseline(plan));
}

/* The gathering and applying of a plan's text, each error listed (or the
 * first returned) as plan->max_errors says. */
static mp_status parse_and_apply(mp_plan *plan, const char *name, int from_file, const char *text,
                                 size_t len)
{
    gather g = {plan, 0, 0, ""};
    mp_status st = from_file ? note_input(&plan->inputs, name) : MP_OK;
    if (st == MP_OK)
        st = go_on(plan, mpi_ini_parse_buffer(name, text, len, &plan->diag.notes, on_kv, &g));
    if (st == MP_OK && g.header_line)
        st = go_on(plan, empty_section(&g));
    if (st == MP_OK && plan->nkv == 0)
        st = stop(plan, mpi_fail(MP_ERR_INPUT,
                                 N_("%s: empty plan file (expected [plan] and channels)"), name));
    if (st == MP_OK)
        st = apply(plan);
    if (st == MP_OK && plan->errors.n)
        st = plan->first_error;
    if (st != MP_OK && st != MP_ERR_NOMEM && plan->errors.n)
        st = mpi_fail(plan->first_error, "%s", plan->errors.v[0]); /* the first, as mp_plan_load */
    return st;
}

/* The one loader behind mp_plan_load(), mp_plan_load_buffer() and
 * mp_plan_check(): name is what messages call the plan (the file it was read
 * from when from_file), dir what its dataset
 * paths are relative to. Both go into messages and reports, so they must be
 * UTF-8 (the text itself is decoded by the INI reader). With max_errors above
 * 1 the load goes on after an error and errors (not NULL then) receives the
 * messages. */
static mp_status load_text(const char *name, int from_file, const char *dir, const char *text,
                           size_t len, size_t max_errors, mpi_strlist *errors, mp_plan **out)
{
    if (!mpi_utf8_valid(name) || !mpi_utf8_valid(dir))
        return mpi_fail(MP_ERR_INPUT,
                        N_("%s: the path is not valid UTF-8: rename the file or folder"),
                        mpi_utf8_valid(name) ? dir : name);
    mp_plan *plan = mpi_calloc(1, sizeof *plan);
    if (!plan)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    plan->max_errors = max_errors;
    plan->path = mpi_strdup(name);
    plan->dir = mpi_strdup(dir);
    mp_status st =
        plan->path && plan->dir ? parse_and_apply(plan, name, from_file, text, len) : mpi_nomem();
    if (st != MP_OK) {
        if (errors) {
            *errors = plan->errors;
            memset(&plan->errors, 0, sizeof plan->errors);
        }
        mp_plan_free(plan);
        return st;
    }
    *out = plan;
    return MP_OK;
}

/* A plan file's text and the directory its dataset paths are relative to;
 * the caller frees both (also on failure). */
static mp_status read_plan_file(const char *path, char **dir, char **text, size_t *len)
{
    if (!path)
        return mpi_fail(MP_ERR_INPUT, N_("no plan file given"));
    const char *slash = strrchr(path, '/');
    *dir = slash ? mpi_strndup(path, (size_t)(slash - path)) : mpi_strdup("");
    if (!*dir)
        return mpi_nomem();
    return mpi_read_file(path, text, len);
}

mp_status mp_plan_load(const char *path, mp_plan **out)
{
    mpi_clear_error();
    if (!out)
        return mpi_fail(MP_ERR_INPUT, N_("no place to return the plan"));
    *out = NULL;
    char *dir = NULL, *text = NULL;
    size_t len = 0;
    mp_status st = read_plan_file(path, &dir, &text, &len);
    if (st == MP_OK)
        st = load_text(path, 1, dir, text, len, 1, NULL, out);
    free(text);
    free(dir);
    return st;
}

mp_status mp_plan_load_buffer(const char *text, size_t len, const char *base_dir, mp_plan **out)
{
    mpi_clear_error();
    if (!out)
        return mpi_fail(MP_ERR_INPUT, N_("no place to return the plan"));
    *out = NULL;
    if (!text)
        return mpi_fail(MP_ERR_INPUT, N_("<buffer>: no plan text given"));
    return load_text("<buffer>", 0, base_dir ? base_dir : "", text, len, 1, NULL, out);
}

/* ---- every error of a plan file ----------------------------------------- */

struct mp_errors {
    mpi_strlist msgs;
};

size_t mp_errors_count(const mp_errors *errors)
{
    return errors ? errors->msgs.n : 0;
}

const char *mp_errors_message(const mp_errors *errors, size_t i)
{
    return errors && i < errors->msgs.n ? errors->msgs.v[i] : NULL;
}

void mp_errors_free(mp_errors *errors)
{
    if (errors) {
        mpi_strlist_free(&errors->msgs);
        free(errors);
    }
}

/* The list handed to the caller: the loader's, or the one message of a
 * failure before the loader could list anything (unreadable file). */
static mp_status hand_errors(mpi_strlist *listed, mp_status st, mp_errors **errors)
{
    if (!errors) {
        mpi_strlist_free(listed);
        return st;
    }
    mp_errors *e = mpi_calloc(1, sizeof *e);
    if (!e) {
        mpi_strlist_free(listed);
        return mpi_nomem();
    }
    e->msgs = *listed;
    if (e->msgs.n == 0 && mpi_strlist_addf(&e->msgs, "%s", mp_last_error()) != MP_OK) {
        mp_errors_free(e);
        return mpi_nomem();
    }
    *errors = e;
    return st;
}

mp_status mp_plan_check(const char *path, mp_plan **plan, mp_errors **errors)
{
    mpi_clear_error();
    if (plan)
        *plan = NULL;
    if (errors)
        *errors = NULL;
    if (!path)
        return mpi_fail(MP_ERR_INPUT, N_("no plan file given"));
    char *dir = NULL, *text = NULL;
    size_t len = 0;
    mpi_strlist listed = {0};
    mp_plan *p = NULL;
    mp_status st = read_plan_file(path, &dir, &text, &len);
    if (st == MP_OK)
        st = load_text(path, 1, dir, text, len, MP_MAX_ERRORS, &listed, &p);
    free(text);
    free(dir);
    if (st == MP_OK) {
        if (plan)
            *plan = p;
        else
            mp_plan_free(p);
        return MP_OK;
    }
    if (st == MP_ERR_NOMEM) {
        mpi_strlist_free(&listed);
        return st;
    }
    return hand_errors(&listed, st, errors);
}
