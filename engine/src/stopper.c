/* What stops the budget (report.h, mpi_budget_stoppers): when a plan that
 * maximises leaves money unspent, the binding rows that keep it there, as
 * optimize's unspent line and each what-if scenario's "stopped by" name
 * them. A constraint over several channels (a CPA cap, a ROAS floor, a cap
 * on a KPI or a spend) comes before a channel's own cap: it is what stops
 * every channel it holds, while a cap stops its channel only. */
#include "report.h"

#include <string.h>

/* How well row r explains unspent money in sol's plan: 0 not at all (the
 * budget, a row of the model's own, one not binding, and in a max plan a
 * floor on a channel's spend or on a KPI, which more money only helps), 1
 * a share (money put on its own side meets its floor, on the other side its
 * cap: it stops the plan only beside caps or saturation), 2 a channel's own
 * cap or a period's budget, 3 a constraint over the channels it lists. A
 * row that must hold in every draw binds in its worst draw
 * (sol->hold_tight), where its row in expectation has no price. */
static int stop_rank(const mp_solution *sol, size_t r)
{
    const mpi_row *row = &sol->model.lp.rows[r];
    const mp_plan *plan = sol->plan;
    int held = row->kind == MPI_ROW_CONSTRAINT && sol->hold_tight && sol->hold_tight[row->ref];
    if (!(sol->rows[r].binding || held) || mpi_row_internal(row->kind) ||
        row->kind == MPI_ROW_BUDGET || row->kind == MPI_ROW_ORDER)
        return 0;
    if (plan->obj_sense < 0)
        return 2;
    if (row->kind == MPI_ROW_MIN)
        return 0;
    if (row->kind != MPI_ROW_CONSTRAINT)
        return 2;
    const mpi_expr *e = &plan->cons[row->ref].e;
    if (e->measure == MPI_M_SHARE)
        return 1;
    return e->measure == MPI_M_KPI && e->op == MPI_GE ? 0 : 3;
}

/* Whether row a explains the unspent money better than row b (of ranks ka
 * and kb): the higher rank, then the larger price. */
static int explains_more(const mp_solution *sol, size_t a, int ka, size_t b, int kb)
{
    return ka > kb || (ka == kb && fabs(sol->rows[a].dual) > fabs(sol->rows[b].dual));
}

size_t mpi_budget_stoppers(const mp_solution *sol, size_t rows[2])
{
    const mpi_lp *lp = &sol->model.lp;
    int rank[2] = {0, 0};
    for (size_t r = 1; sol->rows && r < lp->nrows; r++) {
        int k = stop_rank(sol, r);
        if (!k)
            continue;
        if (!rank[0] || explains_more(sol, r, k, rows[0], rank[0])) {
            rows[1] = rows[0];
            rank[1] = rank[0];
            rows[0] = r;
            rank[0] = k;
        } else if (!rank[1] || explains_more(sol, r, k, rows[1], rank[1])) {
            rows[1] = r;
            rank[1] = k;
        }
    }
    /* a share stops the plan only beside what the first row names */
    return !rank[0] ? 0 : rank[1] >= 2 ? 2 : 1;
}

const char *mpi_stopper_name(const mp_solution *sol, size_t r)
{
    const mpi_row *row = &sol->model.lp.rows[r];
    return row->kind == MPI_ROW_CONSTRAINT ? sol->plan->cons[row->ref].name : row->name;
}

/* Row r as the unspent line names it: "meta's max_spend", "cpa", with
 * with_bound "cpa <= 38" (or "name (expression)") and, for a constraint that
 * must hold in every draw, where it binds: "(held in every draw; worst:
 * draw 278 of 400)". */
static void stopper_words(const mp_solution *sol, size_t r, int with_bound, mpi_lang l, char *buf,
                          size_t n)
{
    const mpi_row *row = &sol->model.lp.rows[r];
    if (row->kind != MPI_ROW_CONSTRAINT) {
        mpi_range_row_name(sol, (long)r, l, buf, n);
        return;
    }
    const mpi_constraint *c = &sol->plan->cons[row->ref];
    const mpi_hold_out *h = sol->hold;
    char name[MPI_TEXT_MAX / 4], draw[128];
    size_t len = strlen(c->name);
    if (!with_bound || !strncmp(c->text, c->name, len))
        snprintf(name, sizeof name, "%s", with_bound ? c->text : c->name);
    else
        snprintf(name, sizeof name, "%s (%s)", c->name, c->text);
    /* a what-if scenario's line says where each such row binds on its own */
    if (!with_bound || !(sol->hold_tight && sol->hold_tight[row->ref]))
        snprintf(buf, n, "%s", name);
    else if (mpi_hold_binds_all(sol, (size_t)row->ref)) {
        /* "draw 278 of 400", with ranges crossed "..., the ranges at their low point" */
        mpi_draw_text(sol->plan, h->worst_draw[row->ref], l, draw, sizeof draw);
        snprintf(buf, n, mpi_tr(l, "%s (held in every draw; worst: %s)"), name, draw);
    } else
        snprintf(buf, n, mpi_tr(l, "%s (held in every draw)"), name);
}

void mpi_stoppers_words(const mp_solution *sol, const size_t *rows, size_t k, int with_bound,
                        mpi_lang l, char *buf, size_t n)
{
    char a[MPI_TEXT_MAX / 2], b[MPI_TEXT_MAX / 2];
    buf[0] = '\0';
    if (!k)
        return;
    stopper_words(sol, rows[0], with_bound, l, a, sizeof a);
    if (k < 2) {
        snprintf(buf, n, "%s", a);
        return;
    }
    stopper_words(sol, rows[1], with_bound, l, b, sizeof b);
    /* optimize: more spend anywhere breaks one or the other; a what-if: both stop it */
    snprintf(buf, n, with_bound ? mpi_tr(l, "%s or %s") : mpi_tr(l, "%s and %s"), a, b);
}

double mpi_unspent_amount(const mpi_report *r)
{
    const mp_plan *plan = r->plan;
    if (!r->solved || !r->sol || plan->obj_sense < 0 || r->sol->trivial)
        return 0; /* the trivial plan of a time limit: nothing is known of why */
    double budget = mpi_scenario_budget(plan, r->sol->sc), left = budget - r->total_spend;
    return left > fmax(0.5, 1e-6 * budget) ? left : 0;
}

size_t mpi_unspent_rows(const mpi_report *r, size_t rows[2])
{
    return mpi_unspent_amount(r) > 0 && !r->sol->booked ? mpi_budget_stoppers(r->sol, rows) : 0;
}

void mpi_unspent_rows_text(const mpi_report *r, mpi_lang l, char *buf, size_t n)
{
    size_t rows[2];
    size_t k = mpi_unspent_rows(r, rows);
    double left = mpi_unspent_amount(r);
    char v[48], who[MPI_TEXT_MAX];
    buf[0] = '\0';
    if (!(left > 0) || r->sol->booked)
        return;
    mpi_fmt_num(l, v, sizeof v, left, 0);
    if (!k) {
        snprintf(buf, n,
                 mpi_tr(l, "%s %s of the budget left unspent: every channel is at its cap or "
                           "bought to the end of its curve"),
                 v, r->plan->currency);
        return;
    }
    mpi_stoppers_words(r->sol, rows, k, 1, l, who, sizeof who);
    snprintf(buf, n, mpi_tr(l, "%s %s of the budget left unspent: spending it would break %s"), v,
             r->plan->currency, who);
}
