/* Why a plan is infeasible, in the planner's words: the channel minimums
 * against the budget, or the rows the nearest plan must relax. The words
 * and numbers are the thread's message language's (mp_set_message_language()),
 * as the other messages the person running the plan reads. */
#include "report.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* *buf = *buf + a + b + c; out of memory, *buf is freed and NULL (a
 * message cut short would read as a whole one). */
static int append3(char **buf, const char *a, const char *b, const char *c)
{
    char *n = mpi_aprintf("%s%s%s%s", *buf ? *buf : "", a, b, c);
    free(*buf);
    *buf = n;
    return n ? 0 : -1;
}

/* Sum of channel minimums against the budget: the most common infeasibility,
 * explained with both figures. */
mp_status mpi_explain_minimums(const mp_plan *plan, double budget, char **why)
{
    *why = NULL;
    double sum = 0;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        sum += !isnan(ch->fixed_spend) ? ch->fixed_spend
               : !isnan(ch->min_spend) ? ch->min_spend
                                       : 0;
    }
    if (sum <= budget * (1 + 1e-12))
        return MP_OK;
    mpi_lang lang = mpi_msg_lang();
    char b[64], s[64];
    mpi_fmt_num(lang, b, sizeof b, budget, 0);
    mpi_fmt_num(lang, s, sizeof s, sum, 0);
    char *msg = mpi_aprintf(
        mpi_tr(lang, "the budget of %s %s is below the sum of channel minimums, %s %s:"), b,
        plan->currency, s, plan->currency);
    for (size_t c = 0; msg && c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        double v = !isnan(ch->fixed_spend) ? ch->fixed_spend : ch->min_spend;
        if (isnan(v) || v <= 0)
            continue;
        char a[64];
        mpi_fmt_num(lang, a, sizeof a, v, 0);
        if (append3(&msg, "\n  ", ch->name, ": ") == 0)
            append3(&msg, a, "", "");
    }
    *why = msg;
    return msg ? MP_OK : mpi_nomem();
}

/* The elastic columns row r of lp gets: none for a reach link (it defines
 * reach, nothing to relax) nor for a booked MIP's own rows (from nplan on:
 * the booking is what the plan says, not a constraint to relax), two for an
 * equality (it may bend either way), else one. */
static int elastic_cols(const mpi_lp *lp, size_t r, size_t nplan)
{
    const mpi_row *row = &lp->rows[r];
    return r >= nplan || mpi_row_internal(row->kind) ? 0 : row->op == MPI_EQ ? 2 : 1;
}

/* What a row's bend is measured against: its bound, or the budget for a row
 * bounded by 0 (shares, CPA and ROAS rows). */
static double bend_scale(const mpi_row *row, double budget)
{
    return fmax(fabs(row->rhs), row->rhs == 0 ? budget : 1);
}

/* The elastic LP's arrays, its columns' bounds copied from lp; first_e gets
 * one entry a row (caller frees). */
static mp_status alloc_elastic(const mpi_lp *lp, size_t nplan, mpi_lp *el, size_t **first_e)
{
    size_t ne = 0;
    for (size_t r = 0; r < lp->nrows; r++)
        ne += (size_t)elastic_cols(lp, r, nplan);
    memset(el, 0, sizeof *el);
    el->sense = -1;
    el->ncols = lp->ncols + ne;
    el->obj = mpi_calloc(el->ncols, sizeof(double));
    el->ub = mpi_calloc(el->ncols, sizeof(double));
    el->rows = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof *el->rows);
    el->nzcap = lp->nnz + ne;
    el->ind = mpi_calloc(el->nzcap, sizeof(size_t));
    el->val = mpi_calloc(el->nzcap, sizeof(double));
    *first_e = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof(size_t));
    if (!el->obj || !el->ub || !el->rows || !el->ind || !el->val || !*first_e) {
        free(*first_e);
        *first_e = NULL;
        mpi_lp_free(el);
        return mpi_nomem();
    }
    memcpy(el->ub, lp->ub, lp->ncols * sizeof(double));
    if (lp->binary) { /* a booked plan's MIP: its rows bend, its booking stays whole */
        el->binary = mpi_calloc(el->ncols, 1);
        if (!el->binary) {
            free(*first_e);
            *first_e = NULL;
            mpi_lp_free(el);
            return mpi_nomem();
        }
        memcpy(el->binary, lp->binary, lp->ncols);
        el->mip_gap_tol = 1e-4; /* which rows bend, not the last digit of how far */
    }
    return MP_OK;
}

/* The elastic LP: every named row may bend, at a cost proportional to the
 * relative amount, and the total cost is minimised. first_e[r] is row r's
 * first elastic column. */
static mp_status build_elastic(const mpi_lp *lp, size_t nplan, double budget, mpi_lp *el,
                               size_t **first_e)
{
    mp_status st = alloc_elastic(lp, nplan, el, first_e);
    if (st != MP_OK)
        return st;
    size_t e = lp->ncols;
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        mpi_row *er = &el->rows[r];
        *er = *row;
        er->name = er->label = NULL;
        er->start = el->nnz;
        memcpy(el->ind + el->nnz, lp->ind + row->start, row->len * sizeof(size_t));
        memcpy(el->val + el->nnz, lp->val + row->start, row->len * sizeof(double));
        el->nnz += row->len;
        (*first_e)[r] = e;
        int n = elastic_cols(lp, r, nplan);
        for (int k = 0; k < n; k++, e++) {
            double sign = row->op == MPI_LE || (row->op == MPI_EQ && k == 1) ? -1 : 1;
            el->ind[el->nnz] = e;
            el->val[el->nnz++] = sign;
            el->obj[e] = 1 / bend_scale(row, budget);
            el->ub[e] = lp->binary ? 1e3 * bend_scale(row, budget) : 1e15;
        }
        er->len = el->nnz - er->start;
    }
    el->nrows = lp->nrows;
    return MP_OK;
}

/* The budget's row, and a period's, as the reader's language writes it
 * (build.c's label is the English of the JSON and workbook). */
static char *budget_label(const mp_solution *sol, const mpi_row *row, mpi_lang lang)
{
    char amount[64];
    mpi_fmt_num(lang, amount, sizeof amount, row->rhs, 0);
    if (row->kind == MPI_ROW_PERIOD)
        return mpi_aprintf(mpi_tr(lang, "budget of period %d: spend <= %s %s"), row->ref + 1,
                           amount, sol->plan->currency);
    return mpi_aprintf(mpi_tr(lang, "budget: spend %s %s %s"),
                       row->op == MPI_EQ ? "=" : "<=", amount, sol->plan->currency);
}

/* A row's label with the bound it was solved with: a what-if scenario that
 * moves a constraint's bound quotes its own ("leads: conversions >= 900"),
 * not the plan's (caller frees). */
static char *row_label(const mp_solution *sol, const mpi_row *row)
{
    const mp_plan *plan = sol->plan;
    if (row->kind == MPI_ROW_BUDGET || row->kind == MPI_ROW_PERIOD)
        return budget_label(sol, row, mpi_msg_lang());
    if (row->kind != MPI_ROW_CONSTRAINT || !sol->sc || isnan(sol->sc->bound[row->ref]))
        return mpi_strdup(row->label);
    const mpi_constraint *c = &plan->cons[row->ref];
    const char *op = strpbrk(c->text, "<>=");
    if (!op)
        return mpi_strdup(row->label);
    size_t oplen = op[1] == '=' ? 2 : 1;
    double v = sol->sc->bound[row->ref];
    int pct = c->e.measure == MPI_M_SHARE || c->e.measure == MPI_M_ROAS;
    char vb[64];
    mpi_lang lang = mpi_msg_lang();
    mpi_fmt_num(lang, vb, sizeof vb, pct ? 100 * v : v, pct || fabs(v) < 100 ? 2 : 0);
    return mpi_aprintf("%s: %.*s %s%s%s", c->name, (int)(op - c->text + (ptrdiff_t)oplen), c->text,
                       vb,
                       pct                         ? (lang == MPI_LANG_FR ? "\u00a0%" : " %")
                       : c->e.measure == MPI_M_CPA ? " "
                                                   : "",
                       c->e.measure == MPI_M_CPA ? plan->currency : "");
}

/* A row that had to bend, with the measure the least-bent plan reaches. */
static void append_bent(const mp_solution *sol, const mpi_row *row, double act, char **msg)
{
    double v = mpi_row_measure(sol, row, act);
    mpi_lang lang = mpi_msg_lang();
    const mpi_constraint *c = row->kind == MPI_ROW_CONSTRAINT ? &sol->plan->cons[row->ref] : NULL;
    int pct = c && c->e.measure == MPI_M_SHARE;
    int people = c && c->e.measure == MPI_M_KPI && mpi_expr_bound_kpi(&c->e) == MPI_REACH;
    char vb[64], share[48];
    mpi_fmt_num(lang, vb, sizeof vb, pct ? 100 * v : v, people ? 0 : pct || fabs(v) < 100 ? 2 : 0);
    /* a reach in people, and in % of the universe as the brief writes it */
    mpi_reach_share_suffix(lang, sol->plan, c ? &c->e : NULL, c ? c->text : NULL, v, share,
                           sizeof share);
    char line[160], what[256];
    snprintf(line, sizeof line, "%s%s%s%s%s", vb, !pct ? "" : mpi_pct_sign(lang), people ? " " : "",
             people ? mpi_tr(lang, mpi_kpi_units[MPI_REACH]) : "", share);
    snprintf(what, sizeof what,
             row->op == MPI_GE ? mpi_tr(lang, " (the most that can be reached with the others: %s)")
             : row->op == MPI_LE
                 ? mpi_tr(lang, " (the least that can be reached with the others: %s)")
                 : mpi_tr(lang, " (the nearest that can be reached with the others: %s)"),
             line);
    char *label = row_label(sol, row);
    if (!label || append3(msg, "\n  ", label, what) != 0) {
        free(*msg);
        *msg = NULL;
    }
    free(label);
}

/* The rows the elastic solution x bends, then the binding rows involved,
 * under the heading head; sol's figures are those of x, lp its model's
 * explicit LP (or its booked MIP). */
static char *describe_bends(const mp_solution *sol, const mpi_lp *lp, const double *x,
                            const size_t *first_e, const char *head)
{
    mpi_lang lang = mpi_msg_lang();
    size_t nplan = sol->model.lp.nrows;
    char *msg = mpi_strdup(head);
    char *involved = NULL;
    for (size_t r = 0; msg && r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        int n = elastic_cols(lp, r, nplan);
        if (!n)
            continue;
        double bend = 0;
        for (int k = 0; k < n; k++)
            bend += x[first_e[r] + (size_t)k];
        double act = mpi_row_activity(lp, r, x, NULL);
        if (bend > 1e-7 * bend_scale(row, sol->plan->budget)) {
            append_bent(sol, row, act, &msg);
        } else if (fabs(act - row->rhs) <= 1e-6 * (1 + fabs(row->rhs))) {
            char *label = row_label(sol, row);
            if (!label || append3(&involved, "\n  ", label, "") != 0) {
                free(msg);
                msg = NULL;
            }
            free(label);
        }
    }
    if (msg && involved)
        append3(&msg, "\n", mpi_tr(lang, "together with these constraints, each at its limit:"),
                involved);
    free(involved);
    return msg;
}

/* The elastic LP of lp solved into *es, whatever its status; first_e its
 * rows' first elastic columns (the caller frees both). */
static mp_status elastic_solve(const mp_solution *sol, const mpi_lp *lp, const mp_solve_opts *opts,
                               mpi_lp_sol *es, size_t **first_e)
{
    mpi_lp el;
    memset(es, 0, sizeof *es);
    mp_status st = build_elastic(lp, sol->model.lp.nrows, sol->plan->budget, &el, first_e);
    if (st != MP_OK)
        return st;
    st = mpi_glpk_solve(&el, opts, es);
    mpi_lp_free(&el);
    return st;
}

/* The elastic LP of lp solved: *es its optimum, or sol->explain says why
 * there is none (*es then empty). */
static mp_status solve_elastic(mp_solution *sol, const mpi_lp *lp, const mp_solve_opts *opts,
                               mpi_lp_sol *es, size_t **first_e)
{
    mp_status st = elastic_solve(sol, lp, opts, es, first_e);
    if (st == MP_ERR_NOMEM)
        return st;
    if (st == MP_OK && es->status == MPI_LP_OPTIMAL)
        return MP_OK;
    int late = st == MP_OK && es->status == MPI_LP_TIME_LIMIT;
    if (st == MP_OK)
        mpi_lp_sol_free(es);
    memset(es, 0, sizeof *es);
    mpi_lang lang = mpi_msg_lang();
    sol->explain = mpi_strdup(late ? mpi_tr(lang, "no plan meets every constraint (the time "
                                                  "limit ran out before the constraints to "
                                                  "relax were found)")
                                   : mpi_tr(lang, "no plan meets every constraint"));
    return sol->explain ? MP_OK : mpi_nomem();
}

/* The booked MIP of sol, its effective-reach grids on boxes box (mpi_model
 * eff_box; NULL: the columns' bounds), into *lp. */
static mp_status booked_lp(mp_solution *sol, const double *box, mpi_lp *lp)
{
    size_t n = 3 * sol->plan->nch * (size_t)sol->plan->periods;
    size_t *cols = mpi_malloc((n ? n : 1) * sizeof *cols);
    sol->model.eff_box = box;
    mp_status st = cols ? mpi_model_booked(&sol->model, cols, lp) : mpi_nomem();
    sol->model.eff_box = NULL;
    free(cols);
    return st;
}

/* One round of the effective-reach grids refined around the least-bent plan
 * *es of *lp (effective_grid.c): where the finer grid's bends less, *lp, *es
 * and *first_e become its (*better). The plan's corner is on the finer grid,
 * so it bends no more. */
static mp_status refine_bends(mp_solution *sol, const mp_solve_opts *opts, double *box, mpi_lp *lp,
                              mpi_lp_sol *es, size_t **first_e, int *better)
{
    mpi_lp nlp;
    mpi_lp_sol nes;
    size_t *nfirst = NULL;
    *better = 0;
    mp_status st = mpi_eff_narrow(&sol->model, es->x, box);
    if (st == MP_OK)
        st = booked_lp(sol, box, &nlp);
    if (st != MP_OK)
        return st;
    st = elastic_solve(sol, &nlp, opts, &nes, &nfirst);
    *better = st == MP_OK && nes.status == MPI_LP_OPTIMAL && nes.obj < es->obj * (1 - 1e-9);
    if (*better) {
        mpi_lp_free(lp);
        mpi_lp_sol_free(es);
        free(*first_e);
        *lp = nlp;
        *es = nes;
        *first_e = nfirst;
        return MP_OK;
    }
    mpi_lp_free(&nlp);
    mpi_lp_sol_free(&nes);
    free(nfirst);
    return st;
}

/* sol->explain: the rows the least-bent plan of lp (sol's explicit LP or
 * its booked MIP) must relax, under the heading head, after what sol->explain
 * says already; with box (its effective-reach grids' boxes), that plan's
 * grids refined while it bends less, *lp the last MIP solved. */
static mp_status explain_bends(mp_solution *sol, mpi_lp *lp, const mp_solve_opts *opts,
                               const char *head, double *box)
{
    size_t *first_e = NULL;
    mpi_lp_sol es;
    char *before = sol->explain;
    sol->explain = NULL;
    mp_status st = solve_elastic(sol, lp, opts, &es, &first_e);
    for (int k = 0, better = 1; st == MP_OK && es.x && box && better && k < MPI_EFF_ROUNDS; k++)
        st = refine_bends(sol, opts, box, lp, &es, &first_e, &better);
    if (st != MP_OK || !es.x) {
        mpi_lp_sol_free(&es);
        free(first_e);
        if (before) { /* what it said already stands; solve_elastic's "no plan" adds nothing */
            free(sol->explain);
            sol->explain = before;
        }
        return st;
    }
    /* Report the bent rows with the measure reached in the least-bent plan. */
    double *keep = sol->lp.x;
    sol->lp.x = es.x;
    char *msg = before;
    if (mpi_aggregate(sol) == MP_OK) {
        char *bends = describe_bends(sol, lp, es.x, first_e, head);
        if (!bends || append3(&msg, before ? "\n" : "", bends, "") != 0) {
            free(msg);
            msg = NULL;
        }
        free(bends);
    }
    sol->lp.x = keep;
    mpi_aggregate_clear(sol);
    mpi_lp_sol_free(&es);
    free(first_e);
    sol->explain = msg;
    return msg ? MP_OK : mpi_nomem();
}

mp_status mpi_explain_infeasible(mp_solution *sol, const mp_solve_opts *opts)
{
    mpi_lp lp;
    mp_status st = mpi_model_explicit(&sol->model, &lp);
    if (st == MP_OK) {
        st = explain_bends(
            sol, &lp, opts,
            mpi_tr(mpi_msg_lang(), "no plan meets every constraint; the nearest plan must relax:"),
            NULL);
        mpi_lp_free(&lp);
    }
    return st;
}

mp_status mpi_explain_booked(mp_solution *sol, const mp_solve_opts *opts)
{
    const mp_plan *plan = sol->plan;
    mpi_lang lang = mpi_msg_lang();
    double budget = mpi_scenario_budget(plan, sol->sc);
    char line[512];
    int books = mpi_plan_books_channels(plan);
    sol->explain = mpi_strdup(
        books ? mpi_tr(lang, "no plan meets every constraint once the channels are booked as the "
                             "plan says (flights, min_grp, min_burst, whole spots or insertions), "
                             "though one does with continuous spends")
              : mpi_tr(lang, "no plan meets every constraint: the effective reach asked of "
                             "several channels together (the people they reach at least the "
                             "effective frequency) cannot be met with the others"));
    for (size_t c = 0; sol->explain && c < plan->nch; c++) {
        mpi_booked_dear_text(&sol->model, (int)c, budget, lang, line, sizeof line);
        if (*line && append3(&sol->explain, "\n  ", line, "") != 0)
            return mpi_nomem();
    }
    /* over several channels' effective reach, the grid spans what each
     * channel buys with the plan's rows bent, then is refined */
    double *box = NULL;
    mpi_lp lp;
    mp_status st = sol->explain ? mpi_eff_wide_boxes(&sol->model, &box) : mpi_nomem();
    if (st == MP_OK)
        st = booked_lp(sol, box, &lp);
    if (st != MP_OK) {
        free(box);
        return st;
    }
    st = explain_bends(sol, &lp, opts,
                       books ? mpi_tr(lang, "the nearest booked plan must relax:")
                             : mpi_tr(lang, "the nearest plan must relax:"),
                       box);
    mpi_lp_free(&lp);
    free(box);
    return st;
}
