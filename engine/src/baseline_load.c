/* The planner's current plan ([plan] baseline = current.csv): a CSV of
 * channel,spend or channel,period,spend read into a spend per channel and
 * period. A channel's spend without periods is spread over the periods in
 * proportion to the plan's seasonality weights. */
#include "adapters.h"
#include "plan.h"

#include <stdlib.h>
#include <string.h>

enum { COL_CHANNEL, COL_PERIOD, COL_SPEND, NCOLS };

/* What a baseline file looks like, for the hints. */
#define SHAPES mpi_tr(mpi_msg_lang(), N_("a header row channel,spend or channel,period,spend"))

/* The header row: which column holds each field (-1 for a missing period). */
static mp_status read_header(const mpi_table *t, size_t r, const char *path, int *col)
{
    mpi_loc loc = {path, t->line[r], NULL};
    col[COL_CHANNEL] = col[COL_PERIOD] = col[COL_SPEND] = -1;
    static const char *const names[NCOLS] = {"channel", "period", "spend"};
    for (size_t i = 0; i < t->ncols[r]; i++) {
        int k = -1;
        for (int j = 0; j < NCOLS; j++)
            if (mpi_strieq(mpi_trim(t->rows[r][i]), names[j]))
                k = j;
        if (k < 0 || col[k] >= 0)
            return mpi_fail_at(MP_ERR_INPUT, &loc,
                               N_("header: unexpected column \"%s\" (expected %s)"), t->rows[r][i],
                               SHAPES);
        col[k] = (int)i;
    }
    if (col[COL_CHANNEL] < 0 || col[COL_SPEND] < 0)
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("header: expected %s"), SHAPES);
    return MP_OK;
}

/* The channel a row names; an unknown one with the nearest name, or the
 * plan's names when none is near. */
static mp_status row_channel(const mp_plan *plan, const char *name, const mpi_loc *loc, size_t *c)
{
    const char *names[MPI_MAX_CHANNELS];
    for (*c = 0; *c < plan->nch; (*c)++) {
        names[*c] = plan->ch[*c].name;
        if (!strcmp(plan->ch[*c].name, name))
            return MP_OK;
    }
    const char *hint = mpi_suggest(name, names, plan->nch);
    if (hint)
        return mpi_fail_at(MP_ERR_INPUT, loc, N_("unknown channel \"%s\" (did you mean \"%s\"?)"),
                           name, hint);
    char list[256] = "";
    for (size_t i = 0, at = 0; i < plan->nch && at < sizeof list; i++)
        at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "", names[i]);
    return mpi_fail_at(MP_ERR_INPUT, loc, N_("unknown channel \"%s\" (the plan's channels: %s)"),
                       name, list);
}

/* A period as the plan's calendar names it: its 1-based index, or the date
 * it starts on (YYYY-MM-DD, as the Plan sheet and the JSON write it). */
static mp_status row_period(const mp_plan *plan, const char *v, const mpi_loc *loc, int *t)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*v && !*end && n >= 1 && n <= plan->periods) {
        *t = (int)n - 1;
        return MP_OK;
    }
    long day;
    char first[16], last[16];
    mpi_fmt_date(first, sizeof first, plan->period_start[0]);
    mpi_fmt_date(last, sizeof last, plan->period_start[plan->periods - 1]);
    if (mpi_parse_date(v, &day) == 0) {
        for (*t = 0; *t < plan->periods; (*t)++)
            if (day == plan->period_start[*t])
                return MP_OK;
        for (int p = 0; p < plan->periods; p++)
            if (day > plan->period_start[p] && day < plan->period_start[p + 1]) {
                char s[16];
                mpi_fmt_date(s, sizeof s, plan->period_start[p]);
                return mpi_fail_at(
                    MP_ERR_INPUT, loc,
                    N_("%s is not the first day of a period: period %d starts on %s"), v, p + 1, s);
            }
    }
    return mpi_fail_at(MP_ERR_INPUT, loc,
                       N_("expected a period from 1 to %d or the date one starts on (%s ... %s), "
                          "got \"%s\""),
                       plan->periods, first, last, v);
}

/* The spend of a row, in the plan's currency. */
static mp_status row_spend(const mp_plan *plan, const char *v, const mpi_loc *loc, double *out)
{
    if (!*v)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("blank spend (write 0 for a channel the current plan does not use)"));
    return mpi_get_nonneg(v, MPI_U_KM | MPI_U_CUR, plan->currency, loc, out);
}

/* seen[c * (periods + 1) + t] is the line that gave channel c's spend in
 * period t (t = periods: the whole campaign), or 0. */
static mp_status check_duplicate(const mp_plan *plan, int *seen, size_t c, int t,
                                 const mpi_loc *loc)
{
    size_t np = (size_t)plan->periods, at = c * (np + 1) + (size_t)(t < 0 ? plan->periods : t);
    int other = 0;
    for (size_t p = 0; p <= np && !other; p++)
        if (seen[c * (np + 1) + p] && (t < 0 || p == np || p == (size_t)t))
            other = seen[c * (np + 1) + p];
    if (other)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           t >= 0
                               ? N_("channel \"%s\" in this period given again (line %d gave it "
                                    "already); give each channel once, or once per period")
                               : N_("channel \"%s\" (a whole-campaign spend) given again (line %d "
                                    "gave it already); give each channel once, or once per "
                                    "period"),
                           plan->ch[c].name, other);
    seen[at] = loc->line;
    return MP_OK;
}

/* One data row into spend[c * periods + t]. */
static mp_status read_row(mp_plan *plan, const mpi_table *tb, size_t r, const int *col, int *seen)
{
    const char *path = plan->baseline_path;
    char **f = tb->rows[r];
    int want = col[COL_PERIOD] >= 0 ? 3 : 2;
    mpi_loc loc = {path, tb->line[r], NULL};
    if ((int)tb->ncols[r] != want)
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("expected %d fields (%s), got %zu"), want, SHAPES,
                           tb->ncols[r]);
    size_t c;
    int t = -1;
    double spend;
    loc.key = "channel";
    mp_status st = row_channel(plan, mpi_trim(f[col[COL_CHANNEL]]), &loc, &c);
    loc.key = "period";
    if (st == MP_OK && want == 3)
        st = row_period(plan, mpi_trim(f[col[COL_PERIOD]]), &loc, &t);
    loc.key = "spend";
    if (st == MP_OK)
        st = row_spend(plan, mpi_trim(f[col[COL_SPEND]]), &loc, &spend);
    loc.key = NULL;
    if (st == MP_OK)
        st = check_duplicate(plan, seen, c, t, &loc);
    if (st != MP_OK)
        return st;
    size_t np = (size_t)plan->periods;
    if (t >= 0) {
        plan->baseline[c * np + (size_t)t] += spend;
        return MP_OK;
    }
    double wsum = 0;
    for (size_t p = 0; p < np; p++)
        wsum += plan->weight[p];
    for (size_t p = 0; p < np; p++) /* no weight at all: spread evenly */
        plan->baseline[c * np + p] += spend * (wsum > 0 ? plan->weight[p] / wsum : 1.0 / np);
    return MP_OK;
}

/* Whether row r carries nothing: blank, or a comment. */
static int skipped(const mpi_table *t, size_t r)
{
    return !t->ncols[r] || (t->ncols[r] == 1 && !*mpi_trim(t->rows[r][0])) ||
           t->rows[r][0][0] == '#';
}

static mp_status read_rows(mp_plan *plan, const mpi_table *t)
{
    int col[NCOLS], header = 0, rows = 0;
    int *seen = mpi_calloc(plan->nch * ((size_t)plan->periods + 1), sizeof(int));
    mp_status st = seen ? MP_OK : mpi_nomem();
    for (size_t r = 0; st == MP_OK && r < t->nrows; r++) {
        if (skipped(t, r))
            continue;
        if (!header) {
            st = read_header(t, r, plan->baseline_path, col);
            header = 1;
            continue;
        }
        st = read_row(plan, t, r, col, seen);
        rows++;
    }
    free(seen);
    if (st == MP_OK && !rows) {
        mpi_loc loc = {plan->baseline_path, 0, NULL};
        st = mpi_fail_at(MP_ERR_INPUT, &loc,
                         N_("no spend rows (expected %s, then one row a channel)"), SHAPES);
    }
    return st;
}

mp_status mpi_baseline_load(mp_plan *plan, const mpi_loc *key)
{
    if (!plan->baseline_path)
        return MP_OK;
    free(plan->baseline);
    plan->baseline = mpi_calloc(plan->nch * (size_t)plan->periods + 1, sizeof(double));
    if (!plan->baseline)
        return mpi_nomem();
    mpi_table t;
    mp_status st = mpi_table_read(plan->baseline_path, 0, &t);
    if (st != MP_OK) { /* where the plan names the file */
        char *why = mpi_strdup(mp_last_error());
        st = why ? mpi_fail_at(st, key, "%s", why) : mpi_nomem();
        free(why);
        return st;
    }
    if (t.note)
        st = mpi_note(&plan->diag, "%s", t.note);
    if (st == MP_OK)
        st = read_rows(plan, &t);
    mpi_table_free(&t);
    return st;
}
