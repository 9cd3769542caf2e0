/* Carryover keys of the plan's channels (adstock, carryover_in, history):
 * their checks, and the adstocked spend a history file carries into the
 * plan's first period. A history file is channel,period_start,spend with
 * rows of past periods; the channel's adstock at the plan's start is
 *     a_0 = sum_j lambda^j x_{-j},
 * x_{-j} the spend of the period j periods before the plan's first (j = 0:
 * the period just before it), in the plan's period length. */
#include "adapters.h"
#include "plan.h"

#include <stdlib.h>
#include <string.h>

enum { COL_CHANNEL, COL_START, COL_SPEND, NCOLS };

#define SHAPES mpi_tr(mpi_msg_lang(), N_("a header row channel,period_start,spend"))

int mpi_plan_has_adstock(const mp_plan *plan)
{
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].adstock > 0)
            return 1;
    return 0;
}

static mp_status read_header(const mpi_table *t, size_t r, const char *path, int *col)
{
    mpi_loc loc = {path, t->line[r], NULL};
    static const char *const names[NCOLS] = {"channel", "period_start", "spend"};
    col[COL_CHANNEL] = col[COL_START] = col[COL_SPEND] = -1;
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
    if (col[COL_CHANNEL] < 0 || col[COL_START] < 0 || col[COL_SPEND] < 0)
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("header: expected %s"), SHAPES);
    return MP_OK;
}

/* How many periods before the plan's first the period starting on day
 * starts (0: the one just before it), or -1 when day is not the start of
 * one in the plan's period length. */
static long periods_before(const mp_plan *plan, long day)
{
    if (plan->period_kind == MPI_WEEK)
        return (plan->start - day) % 7 == 0 ? (plan->start - day) / 7 - 1 : -1;
    int ys, ms, ds, yd, md, dd;
    mpi_civil_from_days(plan->start, &ys, &ms, &ds);
    mpi_civil_from_days(day, &yd, &md, &dd);
    if (dd != ds)
        return -1;
    return (long)(ys * 12 + ms) - (long)(yd * 12 + md) - 1;
}

/* The period a row's period_start names: how many periods before the plan. */
static mp_status row_start(const mp_plan *plan, const char *v, const mpi_loc *loc, long *j)
{
    long day;
    char first[16];
    mpi_fmt_date(first, sizeof first, plan->start);
    if (mpi_parse_date(v, &day) != 0)
        return mpi_fail_date(loc, v);
    if (day >= plan->start)
        return mpi_fail_at(MP_ERR_INPUT, loc,
                           N_("%s is not before the plan's start (%s): the history gives the "
                              "spends of past periods"),
                           v, first);
    *j = periods_before(plan, day);
    if (*j < 0)
        return mpi_fail_at(
            MP_ERR_INPUT, loc,
            plan->period_kind == MPI_WEEK
                ? N_("%s does not start a week of the plan's calendar (weeks start on the "
                     "weekday of %s)")
                : N_("%s does not start a month of the plan's calendar (months start on the "
                     "day of the month of %s)"),
            v, first);
    return MP_OK;
}

/* One data row of channel ch's history, added to its carried-in adstock. */
static mp_status read_row(mp_plan *plan, mpi_channel *ch, const mpi_table *tb, size_t r,
                          const int *col, int *rows)
{
    char **f = tb->rows[r];
    mpi_loc loc = {ch->history_path, tb->line[r], NULL};
    if (tb->ncols[r] != NCOLS)
        return mpi_fail_at(MP_ERR_INPUT, &loc, N_("expected %d fields (%s), got %zu"), NCOLS,
                           SHAPES, tb->ncols[r]);
    if (strcmp(mpi_trim(f[col[COL_CHANNEL]]), ch->name) != 0)
        return MP_OK; /* another channel's history */
    long j = 0;
    double spend = 0;
    loc.key = "period_start";
    mp_status st = row_start(plan, mpi_trim(f[col[COL_START]]), &loc, &j);
    loc.key = "spend";
    if (st == MP_OK)
        st = mpi_get_nonneg(mpi_trim(f[col[COL_SPEND]]), MPI_U_KM | MPI_U_CUR, plan->currency, &loc,
                            &spend);
    if (st != MP_OK)
        return st;
    ch->carry_in += pow(ch->adstock, (double)j) * spend;
    (*rows)++;
    return MP_OK;
}

static int skipped(const mpi_table *t, size_t r)
{
    return !t->ncols[r] || (t->ncols[r] == 1 && !*mpi_trim(t->rows[r][0])) ||
           t->rows[r][0][0] == '#';
}

/* Channel ch's carried-in adstock from its history file. */
static mp_status load_history(mp_plan *plan, mpi_channel *ch)
{
    mpi_loc key = {plan->path, ch->history_line, "history"};
    int index;
    mp_status st = mpi_strlist_intern(&plan->inputs, ch->history_path, (size_t)-1, &index);
    mpi_table t;
    if (st == MP_OK && (st = mpi_table_read(ch->history_path, 0, &t)) != MP_OK) {
        char *why = mpi_strdup(mp_last_error()); /* where the plan names the file */
        st = why ? mpi_fail_at(st, &key, "%s", why) : mpi_nomem();
        free(why);
        return st;
    }
    if (st != MP_OK)
        return st;
    int col[NCOLS], header = 0, rows = 0;
    ch->carry_in = 0;
    for (size_t r = 0; st == MP_OK && r < t.nrows; r++) {
        if (skipped(&t, r))
            continue;
        if (!header) {
            header = 1;
            st = read_header(&t, r, ch->history_path, col);
        } else
            st = read_row(plan, ch, &t, r, col, &rows);
    }
    mpi_table_free(&t);
    if (st == MP_OK && !rows) {
        mpi_loc loc = {ch->history_path, 0, NULL};
        st = mpi_fail_at(MP_ERR_INPUT, &loc, N_("no rows for channel \"%s\" (expected %s)"),
                         ch->name, SHAPES);
    }
    return st;
}

/* A channel's carryover keys agree with its type and with each other. */
static mp_status check_channel(const mp_plan *plan, const mpi_channel *ch)
{
    mpi_loc at = {plan->path, ch->adstock_line, "adstock"};
    if (ch->adstock_line && ch->ops->keyword_count)
        return mpi_fail_at(MP_ERR_INPUT, &at,
                           N_("channel \"%s\" is %s: adstock is for channels with a response "
                              "curve (type = tv, radio, social, press or curve), as a keyword's "
                              "clicks come from the week's auctions; remove the key"),
                           ch->name, mpi_tr(mpi_msg_lang(), ch->ops->kind));
    mpi_loc cl = {plan->path, ch->carry_line ? ch->carry_line : ch->history_line,
                  ch->carry_line ? "carryover_in" : "history"};
    if ((ch->carry_line || ch->history_line) && !ch->adstock_line)
        return mpi_fail_at(MP_ERR_INPUT, &cl,
                           N_("channel \"%s\": %s needs adstock (the share of an adstock kept "
                              "from one period to the next, adstock = 0.6)"),
                           ch->name, cl.key);
    mpi_loc hl = {plan->path, ch->history_line, "history"};
    if (ch->carry_line && ch->history_line)
        return mpi_fail_at(MP_ERR_INPUT, &hl,
                           N_("channel \"%s\": give carryover_in (line %d) or history, not both"),
                           ch->name, ch->carry_line);
    return MP_OK;
}

mp_status mpi_adstock_load(mp_plan *plan)
{
    mp_status st = MP_OK;
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++) {
        mpi_channel *ch = &plan->ch[c];
        st = check_channel(plan, ch);
        if (st == MP_OK && ch->history_path)
            st = load_history(plan, ch);
        if (ch->adstock == 0)
            ch->carry_in = 0; /* nothing carries without a rate */
    }
    return st;
}
