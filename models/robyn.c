/* A channel's response curve imported from a Robyn model export
 * (robyn = RobynModel-x.json, robyn_channel, robyn_data): Robyn's fitted
 * hill curve rebuilt on the plan's spend, and its geometric adstock.
 *
 * The formulas are Robyn 3.10 to 3.12's (R package Robyn,
 * R/R/transformation.R and R/R/response.R):
 *   adstock_geometric(): a_1 = x_1, a_t = x_t + theta a_{t-1}, over the whole
 *     data (run_transformations() adstocks before cutting the window);
 *   saturation_hill(): x^alpha / (x^alpha + inflexion^alpha), with
 *     inflexion = (1 - gamma) min(a) + gamma max(a) over the adstocked media
 *     of the modelling window (window_start to window_end); Robyn before 3.10
 *     took round(quantile(seq(min, max, length 100), gamma), 4), the same
 *     point rounded to 4 decimals;
 *   robyn_response(): response = coef * saturation_hill(total adstocked input),
 *     the ridge coefficient from xDecompAgg (the export's summary).
 * So the curve on the adstocked spend a is mixplan's hill with beta = coef,
 * ec = inflexion, slope = alpha, and the channel's adstock is theta: the
 * plan's a_t = x_t + adstock a_{t-1} is Robyn's recursion when a plan period
 * is a Robyn period. */
#include "models.h"

#include <stdlib.h>
#include <string.h>

struct mpi_robyn_keys {
    char *path;    /* robyn: the export, resolved against the plan */
    char *channel; /* robyn_channel, or NULL: the channel's own name */
    char *data;    /* robyn_data: the data Robyn was fitted on, or NULL */
    int line, channel_line, data_line;
};

void mpi_robyn_keys_free(struct mpi_robyn_keys *k)
{
    if (!k)
        return;
    free(k->path);
    free(k->channel);
    free(k->data);
    free(k);
}

mp_status mpi_robyn_set(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_loc *loc,
                        const char *value, int *taken)
{
    const char *key = loc->key;
    *taken = !strcmp(key, "robyn") || !strcmp(key, "robyn_channel") || !strcmp(key, "robyn_data");
    if (!*taken)
        return MP_OK;
    if (!r->robyn && !(r->robyn = mpi_calloc(1, sizeof *r->robyn)))
        return mpi_nomem();
    struct mpi_robyn_keys *k = r->robyn;
    char **slot = !strcmp(key, "robyn")        ? &k->path
                  : !strcmp(key, "robyn_data") ? &k->data
                                               : &k->channel;
    int *line = slot == &k->path ? &k->line : slot == &k->data ? &k->data_line : &k->channel_line;
    free(*slot);
    *slot = slot == &k->channel ? mpi_strdup(value) : mpi_model_path(ctx, value);
    *line = loc->line;
    return *slot ? MP_OK : mpi_nomem();
}

/* Robyn's data interval must be the plan's period: the curve is the response
 * of one Robyn period to that period's adstocked spend, and a hill curve of a
 * day's spend says nothing exact of a week's (the days' split and their
 * carryover within the week matter). */
static mp_status check_interval(const mpi_model_ctx *ctx, const mpi_loc *at, const char *path,
                                const mpi_robyn *rb)
{
    const char *plan = ctx->cal.kind == MPI_MONTH ? N_("month") : N_("week");
    if (!strcmp(rb->interval, plan))
        return MP_OK;
    const char *data = !strcmp(rb->interval, "day")     ? N_("day")
                       : !strcmp(rb->interval, "week")  ? N_("week")
                       : !strcmp(rb->interval, "month") ? N_("month")
                                                        : rb->interval;
    mpi_lang lang = mpi_msg_lang();
    return mpi_fail_at(MP_ERR_INPUT, at,
                       N_("%s: Robyn fitted data by %s (InputCollect.intervalType) and the "
                          "plan's periods are by %s: the curve answers one Robyn period's "
                          "adstocked spend, not a plan period's; Robyn's data and the plan need "
                          "the same interval (week or month)"),
                       path, mpi_tr(lang, data), mpi_tr(lang, plan));
}

/* A date of the data file, or of the export's window. */
static mp_status get_day(const mpi_loc *at, const char *s, long *day)
{
    if (mpi_parse_date(s, day) == 0)
        return MP_OK;
    return mpi_fail_date(at, s);
}

/* Columns of the data's header row: the date's and the channel's. */
static mp_status data_columns(const mpi_table *t, const char *file, const char *date_var,
                              const char *channel, size_t *dc, size_t *mc)
{
    *dc = *mc = (size_t)-1;
    for (size_t c = 0; t->nrows > 0 && c < t->ncols[0]; c++) {
        if (!strcmp(t->rows[0][c], date_var))
            *dc = c;
        if (!strcmp(t->rows[0][c], channel))
            *mc = c;
    }
    if (*dc != (size_t)-1 && *mc != (size_t)-1)
        return MP_OK;
    mpi_loc at = {file, t->nrows ? t->line[0] : 0, NULL};
    return mpi_fail_at(MP_ERR_INPUT, &at,
                       N_("the header has no column \"%s\"; robyn_data is the table Robyn was "
                          "fitted on (dt_input), with its date column and the channel's spend"),
                       *dc == (size_t)-1 ? date_var : channel);
}

/* Robyn's inflexion: the window's adstocked spends' range, at gamma. */
typedef struct window {
    long from, to;   /* days, inclusive */
    double lo, hi;   /* the range of the adstocked spend in the window */
    double theta, a; /* the decay, the adstock so far */
    long last;       /* the previous row's day */
    size_t rows;     /* rows in the window */
} window;

static mp_status data_row(window *w, const mpi_table *t, size_t i, const char *file, size_t dc,
                          size_t mc)
{
    mpi_loc at = {file, t->line[i], NULL};
    if (t->ncols[i] <= dc || t->ncols[i] <= mc)
        return mpi_fail_at(MP_ERR_INPUT, &at, N_("the row has fewer columns than the header"));
    long day;
    double x;
    const char *why;
    mp_status st = get_day(&at, t->rows[i][dc], &day);
    if (st != MP_OK)
        return st;
    if (i > 1 && day <= w->last)
        return mpi_fail_at(MP_ERR_INPUT, &at,
                           N_("dates must rise from row to row (Robyn adstocks in date order)"));
    if (mpi_parse_num(t->rows[i][mc], 0, NULL, &x, &why) != 0 || x < 0)
        return mpi_fail_at(MP_ERR_INPUT, &at,
                           N_("spend: expected a non-negative number, got \"%s\""), t->rows[i][mc]);
    w->last = day;
    w->a = i == 1 ? x : x + w->theta * w->a;
    if (day >= w->from && day <= w->to) {
        w->lo = w->rows ? fmin(w->lo, w->a) : w->a;
        w->hi = w->rows ? fmax(w->hi, w->a) : w->a;
        w->rows++;
    }
    return MP_OK;
}

/* The inflexion (ec) from the data Robyn was fitted on. */
static mp_status inflexion(const mpi_model_ctx *ctx, const struct mpi_robyn_keys *k,
                           const mpi_robyn *rb, const char *channel, double *ec)
{
    mpi_loc at = {ctx->plan_path, k->data_line, "robyn_data"};
    mpi_loc ex = {k->path, 0, NULL};
    window w = {.theta = rb->theta};
    mp_status st = get_day(&ex, rb->window_start, &w.from);
    if (st == MP_OK)
        st = get_day(&ex, rb->window_end, &w.to);
    if (st != MP_OK)
        return st;
    mpi_table t;
    st = ctx->io->read_table(ctx, k->data, 0, &t);
    if (st != MP_OK)
        return mpi_fail_at(st, &at, "%s", mp_last_error());
    size_t dc, mc;
    st = data_columns(&t, k->data, rb->date_var, channel, &dc, &mc);
    for (size_t i = 1; st == MP_OK && i < t.nrows; i++)
        if (t.ncols[i] > 0)
            st = data_row(&w, &t, i, k->data, dc, mc);
    mpi_table_free(&t);
    if (st == MP_OK && !(w.hi > 0))
        st = mpi_fail_at(MP_ERR_INPUT, &at,
                         N_("%s has no spend on %s from %s to %s (the export's modelling "
                            "window): Robyn's inflexion is not defined"),
                         k->data, channel, rb->window_start, rb->window_end);
    *ec = (1 - rb->gamma) * w.lo + rb->gamma * w.hi;
    return st;
}

/* The export's values fill what the plan does not give; a key the plan
 * gives wins (the note says so). */
static mp_status fill(mpi_resp *r, const mpi_model_ctx *ctx, mpi_channel *ch, const mpi_robyn *rb,
                      double ec)
{
    const struct mpi_robyn_keys *k = r->robyn;
    mpi_loc at = {ctx->plan_path, k->line, "robyn"};
    if (!(r->beta > 0) && !(rb->coef > 0))
        return mpi_fail_at(MP_ERR_INPUT, &at,
                           N_("channel \"%s\": the export's coefficient is %g: Robyn found no "
                              "effect of the channel; leave it out or give beta"),
                           ch->name, rb->coef);
    r->family = MPI_FAM_HILL;
    if (!r->line)
        r->line = k->line;
    if (!(r->beta > 0))
        r->beta = rb->coef;
    if (!(r->ec > 0))
        r->ec = ec;
    if (!(r->slope > 0))
        r->slope = rb->alpha;
    if (!r->kpi)
        r->kpi = !strcmp(rb->dep_var_type, "revenue") ? MPI_REVENUE : MPI_CONVERSIONS;
    if (!ch->adstock_line) {
        ch->adstock = rb->theta;
        ch->adstock_line = k->line; /* history and carryover_in may use it */
    }
    return mpi_check_limit(MP_OK, &at, &r->ec, &mpi_limit_curve_scale, ctx->currency);
}

/* The checks that need no file: where the keys may be, what they conflict with. */
static mp_status check_keys(const mpi_resp *r, const mpi_model_ctx *ctx, const mpi_channel *ch)
{
    const struct mpi_robyn_keys *k = r->robyn;
    mpi_loc at = {ctx->plan_path, k->line, "robyn"};
    if (!k->path) {
        mpi_loc kl = {ctx->plan_path, k->channel_line ? k->channel_line : k->data_line,
                      k->channel_line ? "robyn_channel" : "robyn_data"};
        return mpi_fail_at(MP_ERR_INPUT, &kl,
                           N_("channel \"%s\": %s needs robyn = the model export "
                              "(robyn_write()'s JSON)"),
                           ch->name, kl.key);
    }
    if (ch->ops->keyword_count)
        return mpi_fail_at(MP_ERR_INPUT, &at,
                           N_("channel \"%s\" is %s: a Robyn curve is for channels with a "
                              "response curve (type = curve, tv, radio, social or press)"),
                           ch->name, mpi_tr(mpi_msg_lang(), ch->ops->kind));
    if (r->family != MPI_FAM_NONE && r->family != MPI_FAM_HILL) {
        mpi_loc cl = {ctx->plan_path, r->line, "curve"};
        return mpi_fail_at(MP_ERR_INPUT, &cl,
                           N_("channel \"%s\": Robyn's curve (robyn, line %d) is a hill curve; "
                              "remove this key"),
                           ch->name, k->line);
    }
    return MP_OK;
}

static mp_status note_import(const mpi_resp *r, const mpi_model_ctx *ctx, const mpi_channel *ch,
                             const mpi_robyn *rb, const char *channel)
{
    return mpi_note(ctx->diag,
                    N_("channel \"%s\": Robyn model %s (%s), channel %s (coef %g, alpha %g, "
                       "gamma %g, theta %g): hill beta %g, ec %g, slope %g, adstock %g (keys the "
                       "plan gives win)"),
                    ch->name, rb->model ? rb->model : "?", rb->version ? rb->version : "?", channel,
                    rb->coef, rb->alpha, rb->gamma, rb->theta, r->beta, r->ec, r->slope,
                    ch->adstock);
}

static mp_status import(mpi_resp *r, const mpi_model_ctx *ctx, mpi_channel *ch)
{
    mp_status st = check_keys(r, ctx, ch);
    if (st != MP_OK)
        return st;
    const struct mpi_robyn_keys *k = r->robyn;
    const char *channel = k->channel ? k->channel : ch->name;
    mpi_loc at = {ctx->plan_path, k->line, "robyn"};
    mpi_robyn rb;
    st = ctx->io->read_robyn(ctx, k->path, channel, &rb);
    if (st != MP_OK)
        return mpi_fail_at(st, &at, "%s", mp_last_error());
    st = check_interval(ctx, &at, k->path, &rb);
    double ec = r->ec;
    if (st == MP_OK && !(r->ec > 0) && !k->data)
        st = mpi_fail_at(MP_ERR_INPUT, &at,
                         N_("channel \"%s\": the curve's inflexion comes from the data Robyn was "
                            "fitted on: give robyn_data = that table (dt_input as CSV), or ec = "
                            "the inflexion"),
                         ch->name);
    else if (st == MP_OK && !(r->ec > 0))
        st = inflexion(ctx, k, &rb, channel, &ec);
    if (st == MP_OK)
        st = fill(r, ctx, ch, &rb, ec);
    if (st == MP_OK)
        st = note_import(r, ctx, ch, &rb, channel);
    mpi_robyn_free(&rb);
    return st;
}

mp_status mpi_robyn_apply(mpi_resp *r, const mpi_model_ctx *ctx, mpi_channel *ch)
{
    if (!r->robyn)
        return MP_OK;
    mp_status st = import(r, ctx, ch);
    /* Read once: the curve holds what it took, and copies of the curve (a
     * channel's draws) share no keys. */
    mpi_robyn_keys_free(r->robyn);
    r->robyn = NULL;
    return st;
}
