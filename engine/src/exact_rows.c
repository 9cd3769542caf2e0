/* Constraints on the exact figures: the LP meets each row on its chords, and
 * the exact model at the LP's spends can break a cap the chords met (a
 * concave KPI lies above its chords), or meet a floor with room to spare.
 * Such a row's bound is moved by the difference and the LP solved again, a
 * few rounds at most, so that every constraint shown as met holds on the
 * exact figures and a binding one binds on them too. The rounds can swing
 * about a bound (whole spots move the fill of a continuous channel along
 * its chords: 4 under, 4 over, 3 under a CPA cap on a 12-week booked plan):
 * a plan the last round leaves past a bound gives way to the best plan of
 * the rounds that met every one, solved again at its bounds. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_ROUNDS 4 /* re-solves at most; each one usually settles a row */

/* Row r's measure on the exact figures, in the LP row's own terms (what its
 * coefficients sum: a KPI, or spend less cpa x conversions ...). */
static double exact_activity(const mp_solution *sol, const mpi_row *row)
{
    mpi_expr e = sol->plan->cons[row->ref].e;
    if (sol->sc && !isnan(sol->sc->bound[row->ref]))
        e.value = sol->sc->bound[row->ref];
    if (e.measure == MPI_M_KPI && e.kpi == MPI_REACH && mpi_reach_log(sol->plan))
        return mpi_reach_row_log(sol, &e); /* the row's log form */
    double in[MPI_NKPI] = {0};
    mpi_expr_inputs(sol, &e, in);
    switch (e.measure) {
    case MPI_M_SHARE: return in[MPI_SPEND] - e.value * sol->kpi[MPI_SPEND];
    case MPI_M_CPA: return in[MPI_SPEND] - e.value * in[MPI_CONVERSIONS];
    case MPI_M_ROAS: return in[MPI_REVENUE] - e.value * in[MPI_SPEND];
    }
    return in[e.kpi];
}

/* Every row's activity at the solution's spends into as[0..n) and its size
 * (|rhs| and its terms' magnitudes) into as[n..2n), from the curves (ra's
 * when valid: the rows at this plan and bounds); the caller frees *as. */
static mp_status row_activities(const mp_solution *sol, mpi_rows_at *ra, double **as)
{
    *as = mpi_calloc(2 * sol->model.lp.nrows + 1, sizeof(double));
    return *as ? mpi_rows_at_get(ra, &sol->model, sol->lp.x, *as) : mpi_nomem();
}

/* Where the exact figures put row r against its bound, in its terms: > 0
 * past it (broken), < 0 short of it (slack); 0 within 1e-9 of the row's
 * magnitude (scale: its size at the LP's spends). *tol gets that
 * magnitude's 1e-9. */
static double excess(const mp_solution *sol, size_t r, double bound, double scale, double *exact,
                     double *tol)
{
    const mpi_row *row = &sol->model.lp.rows[r];
    *exact = exact_activity(sol, row);
    *tol = 1e-9 * (1 + scale + fabs(bound));
    double d = row->op == MPI_GE ? bound - *exact : *exact - bound;
    if (row->op == MPI_EQ)
        d = fabs(d);
    return fabs(d) > *tol ? d : 0;
}

/* Whether a row's measure on the exact figures can differ from the LP's:
 * plan constraints other than spends and shares of spend (linear in it). */
static int exact_differs(const mp_solution *sol, const mpi_row *row)
{
    if (row->kind != MPI_ROW_CONSTRAINT)
        return 0;
    const mpi_expr *e = &sol->plan->cons[row->ref].e;
    return e->measure != MPI_M_SHARE && !(e->measure == MPI_M_KPI && e->kpi == MPI_SPEND);
}

/* Whether the LP holds row r at its right-hand side (act and scale: its
 * activity and size at the LP's spends). */
static int lp_binds(const mp_solution *sol, size_t r, double act, double scale)
{
    return fabs(act - sol->model.lp.rows[r].rhs) <= 1e-9 * (1 + scale);
}

/* The objective on the exact figures, as plan_figures takes it. */
static double exact_objective(const mp_solution *sol)
{
    int q = sol->plan->obj_kpi;
    return mpi_objective_log(sol->plan) ? sol->reach_log : sol->kpi[q] + sol->after_total[q];
}

/* The exact figures the rounds read, into fig[0 .. nrows]: each row's
 * measure whose exact figure differs from the LP's (else 0), then the
 * objective (as plan_figures takes it). A KPI no row reads is not one. */
static void exact_figures(const mp_solution *sol, double *fig)
{
    const mpi_lp *lp = &sol->model.lp;
    for (size_t r = 0; r < lp->nrows; r++)
        fig[r] = exact_differs(sol, &lp->rows[r]) ? exact_activity(sol, &lp->rows[r]) : 0;
    fig[lp->nrows] = exact_objective(sol);
}

static int same_figures(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(fabs(a[i] - b[i]) <= 1e-12 * (1 + fabs(a[i]))) && !(isnan(a[i]) && isnan(b[i])))
            return 0;
    return 1;
}

/* The new optimum is another vertex of the LP, which the ties pass that ran
 * on the first plan (mpi_solution_finish) did not see: equal segments (a
 * channel's weeks under one reach curve) would come back as the vertex fills
 * them, all in one week. The pass is kept where it leaves every exact figure
 * the rounds read as it was (a spread over weeks whose reach depends on the
 * campaign's spend only); a spread that moves them (a concave curve's
 * segments half filled instead of full and empty) is put back, so that the
 * rounds move the bounds as for the vertex. The fill-order MIP's plan is
 * left as it is, as mpi_solution_finish leaves it. sol is aggregated at the
 * plan as left. */
static mp_status tie_new_plan(mp_solution *sol)
{
    mpi_model *m = &sol->model;
    size_t nc = m->lp.ncols, nf = m->lp.nrows + 1;
    mpi_aggregate_clear(sol);
    mp_status st = mpi_aggregate(sol);
    if (st != MP_OK || sol->lp.mip)
        return st;
    double *x0 = mpi_malloc((nc ? nc : 1) * sizeof(double));
    double *fig = mpi_malloc(2 * nf * sizeof(double));
    st = x0 && fig ? MP_OK : mpi_nomem();
    if (st == MP_OK) {
        memcpy(x0, sol->lp.x, nc * sizeof(double));
        exact_figures(sol, fig);
        st = mpi_equal_ties(m, sol->lp.x, sol->lp.row_dual, NULL);
    }
    if (st == MP_OK && memcmp(x0, sol->lp.x, nc * sizeof(double)) != 0) {
        mpi_aggregate_clear(sol);
        st = mpi_aggregate(sol);
        if (st == MP_OK)
            exact_figures(sol, fig + nf);
        if (st == MP_OK && !same_figures(fig, fig + nf, nf)) {
            memcpy(sol->lp.x, x0, nc * sizeof(double));
            mpi_aggregate_clear(sol);
            st = mpi_aggregate(sol);
        }
    }
    free(x0);
    free(fig);
    return st;
}

/* Solve the LP again (from the last optimum's row prices, unless it came from
 * the fill-order MIP) into ns: an optimum filled in order, or *ok 0. */
static mp_status solve_again(mp_solution *sol, const mp_solve_opts *opts, mpi_lp_sol *ns, int *ok)
{
    *ok = 0;
    const double *pi = !sol->lp.mip && sol->lp.row_dual ? sol->lp.row_dual : NULL;
    mp_status st = mpi_model_solve_from(&sol->model, pi, opts, ns, NULL);
    if (st == MP_OK && sol->booked && ns->status == MPI_LP_OPTIMAL) {
        mpi_lp_sol last = sol->lp; /* a booked plan: its MIP again (mip.c) */
        sol->lp = *ns;
        st = mpi_solve_booked(sol, opts);
        *ns = sol->lp;
        sol->lp = last;
    }
    if (st == MP_OK && (sol->risk || mpi_plan_must_hold(sol->plan)) &&
        ns->status == MPI_LP_OPTIMAL) {
        mpi_lp_sol last = sol->lp; /* a risk plan: its risk LP again (risk.c) */
        sol->lp = *ns;
        st = mpi_solve_risk(sol, opts);
        *ns = sol->lp;
        sol->lp = last;
    }
    if (st != MP_OK || ns->status != MPI_LP_OPTIMAL)
        return st;
    return mpi_refill_in_order(&sol->model, ns->x, ok, NULL);
}

/* Solve again with the moved bounds; the new plan replaces the last one when
 * it is an optimum filled in order (the fill-order MIP again if need be),
 * else the last plan stays and *ok is 0. */
static mp_status resolve(mp_solution *sol, const mp_solve_opts *opts, int *ok)
{
    mpi_lp_sol ns, last = sol->lp;
    memset(&ns, 0, sizeof ns);
    mp_status st = solve_again(sol, opts, &ns, ok);
    if (st == MP_OK && !*ok && ns.status == MPI_LP_OPTIMAL) {
        sol->lp = ns; /* filled out of order: the MIP that keeps the order */
        memset(&ns, 0, sizeof ns);
        st = mpi_solve_in_order(sol, opts);
        ns = sol->lp;
        sol->lp = last;
        *ok = st == MP_OK && ns.status == MPI_LP_OPTIMAL;
    }
    if (st != MP_OK || !*ok) {
        mpi_lp_sol_free(&ns);
        *ok = 0;
        return st;
    }
    mpi_lp_sol_free(&sol->lp);
    sol->lp = ns;
    return tie_new_plan(sol);
}

/* The rounds' best plan that meets every constraint on the exact figures:
 * the right-hand sides it was solved at and its objective. */
typedef struct kept_plan {
    double *rhs; /* [nrows], NULL until a plan meets every constraint */
    double obj;
} kept_plan;

/* Keep the right-hand sides of the plan as solved, which meets every
 * constraint, when it does better than the one kept. */
static mp_status keep_plan(const mp_solution *sol, kept_plan *k)
{
    const mpi_lp *lp = &sol->model.lp;
    double fig = exact_objective(sol);
    if (k->rhs && !(sol->plan->obj_sense * (fig - k->obj) > 0))
        return MP_OK;
    if (!k->rhs && !(k->rhs = mpi_malloc((lp->nrows ? lp->nrows : 1) * sizeof(double))))
        return mpi_nomem();
    for (size_t r = 0; r < lp->nrows; r++)
        k->rhs[r] = lp->rows[r].rhs;
    k->obj = fig;
    return MP_OK;
}

/* Whether the exact figures break a row of the plan (as: its rows' activities
 * and sizes). */
static int breaks_one(const mp_solution *sol, const double *bound, const double *as)
{
    size_t n = sol->model.lp.nrows;
    for (size_t r = 0; r < n; r++) {
        double exact, tol;
        if (exact_differs(sol, &sol->model.lp.rows[r]) &&
            excess(sol, r, bound[r], as[n + r], &exact, &tol) > 0)
            return 1;
    }
    return 0;
}

/* Move the right-hand side of every row the exact figures break by what
 * they break it by, and of every row the LP holds at its bound that the exact
 * figures meet with room to spare by that room (a floor on a concave KPI:
 * the chords under-state it, so the LP bought more than the floor asks).
 * Each aims 1e-8 of the row's magnitude inside its bound, so that the next
 * round's small change of chord error keeps it met. *moved: one moved. A
 * plan that meets every row is kept first (k). */
static mp_status move_bounds(mp_solution *sol, const double *bound, mpi_rows_at *ra, int *moved,
                             kept_plan *k)
{
    mpi_lp *lp = &sol->model.lp;
    size_t n = lp->nrows;
    double *as;
    mp_status st = row_activities(sol, ra, &as);
    *moved = 0;
    if (st == MP_OK && !breaks_one(sol, bound, as))
        st = keep_plan(sol, k);
    for (size_t r = 0; st == MP_OK && r < n; r++) {
        mpi_row *row = &lp->rows[r];
        double exact, tol;
        if (!exact_differs(sol, row))
            continue;
        double d = excess(sol, r, bound[r], as[n + r], &exact, &tol);
        if (!(d > 0) && !(d < -10 * tol && row->op != MPI_EQ && lp_binds(sol, r, as[r], as[n + r])))
            continue;
        double inside = row->op == MPI_LE ? -10 * tol : row->op == MPI_GE ? 10 * tol : 0;
        row->rhs += bound[r] + inside - exact;
        *moved = 1;
        if (ra)
            ra->valid = 0; /* a row's size counts its bound */
    }
    free(as);
    return st;
}

/* v in lang's numbers with d decimals, its fraction's trailing zeros
 * dropped: "70.0003", "70". */
static void fmt_trim(mpi_lang lang, char *b, size_t n, double v, int d)
{
    mpi_fmt_num(lang, b, n, v, d);
    char sep = lang == MPI_LANG_FR ? ',' : '.';
    size_t k = strlen(b);
    if (!strchr(b, sep))
        return;
    while (k && b[k - 1] == '0')
        b[--k] = '\0';
    if (k && b[k - 1] == sep)
        b[--k] = '\0';
}

/* The measure of e as a planner reads it, in lang: its name, its unit and
 * that of a difference (*pct: a ROAS in percent). */
static const char *measure_words(mpi_lang lang, const mp_plan *plan, const mpi_expr *e,
                                 const char **unit, const char **diff, int *pct)
{
    int q = mpi_expr_bound_kpi(e);
    *pct = e->measure == MPI_M_ROAS;
    *unit = *pct                                            ? "%"
            : e->measure == MPI_M_CPA || !*mpi_kpi_units[q] ? plan->currency
                                                            : mpi_tr(lang, mpi_kpi_units[q]);
    *diff = *pct ? mpi_tr(lang, N_("points")) : *unit;
    return e->measure == MPI_M_CPA ? "CPA" : *pct ? "ROAS" : mpi_tr(lang, mpi_kpi_names[q]);
}

/* "the plan's CPA: 70.0003 EUR, 0.0003 EUR over the 70 EUR cap" in each
 * language: the figure and its bound in the constraint's own unit, shown to
 * two significant digits of the difference. */
static mp_status warn_missed(mp_solution *sol, const mpi_row *row)
{
    const mpi_constraint *c = &sol->plan->cons[row->ref];
    const mpi_expr *e = &c->e;
    double b = sol->sc && !isnan(sol->sc->bound[row->ref]) ? sol->sc->bound[row->ref] : e->value;
    double v = mpi_row_measure(sol, row, 0), k = e->measure == MPI_M_ROAS ? 100 : 1;
    double gap = fabs(v - b) * k;
    if (!isfinite(v) || !isfinite(b))
        return mpi_warn(&sol->diag,
                        N_("constraint \"%s\" (%s): the plan does not meet it on the exact figures "
                           "where its curves' straight-line model meets it, and moving its bound "
                           "did not settle"),
                        c->name, c->text);
    int d = gap > 0 ? 1 - (int)floor(log10(gap)) : 1;
    d = d < 0 ? 0 : d > 9 ? 9 : d;
    char fv[MPI_NLANG][64], fg[MPI_NLANG][64], fb[MPI_NLANG][64];
    const char *name[MPI_NLANG], *unit[MPI_NLANG], *du[MPI_NLANG];
    for (int g = 0; g < MPI_NLANG; g++) {
        int pct;
        name[g] = measure_words((mpi_lang)g, sol->plan, e, &unit[g], &du[g], &pct);
        fmt_trim((mpi_lang)g, fv[g], sizeof fv[g], v * k, d);
        fmt_trim((mpi_lang)g, fg[g], sizeof fg[g], gap, d);
        fmt_trim((mpi_lang)g, fb[g], sizeof fb[g], b * k, d);
    }
    mp_status st;
    MPI_WARN_EACH(
        st, &sol->diag,
        mpi_tr(lang_,
               e->op == MPI_LE
                   ? N_("constraint \"%s\" (%s): the plan's %s: %s %s, %s %s over the %s %s cap "
                        "(its curves' straight-line model meets it), and moving its bound did not "
                        "settle")
               : e->op == MPI_GE
                   ? N_("constraint \"%s\" (%s): the plan's %s: %s %s, %s %s under the %s %s floor "
                        "(its curves' straight-line model meets it), and moving its bound did not "
                        "settle")
                   : N_("constraint \"%s\" (%s): the plan's %s: %s %s, %s %s off the %s %s target "
                        "(its curves' straight-line model meets it), and moving its bound did not "
                        "settle")),
        c->name, c->text, name[lang_], fv[lang_], unit[lang_], fg[lang_], du[lang_], fb[lang_],
        unit[lang_]);
    return st;
}

/* Say which constraints the exact figures still break. */
static mp_status warn_broken(mp_solution *sol, const double *bound, mpi_rows_at *ra)
{
    const mpi_lp *lp = &sol->model.lp;
    double *as;
    mp_status st = row_activities(sol, ra, &as);
    for (size_t r = 0; st == MP_OK && r < lp->nrows; r++) {
        double exact, tol;
        if (exact_differs(sol, &lp->rows[r]) &&
            excess(sol, r, bound[r], as[lp->nrows + r], &exact, &tol) > 0)
            st = warn_missed(sol, &lp->rows[r]);
    }
    free(as);
    return st;
}

/* The last round's plan breaks a constraint where an earlier one met them
 * all: solve again at that plan's right-hand sides. */
static mp_status back_to_kept(mp_solution *sol, const mp_solve_opts *opts, const double *bound,
                              mpi_rows_at *ra, const kept_plan *k)
{
    double *as;
    int ok;
    mp_status st = row_activities(sol, ra, &as);
    int broken = st == MP_OK && breaks_one(sol, bound, as);
    free(as);
    if (st != MP_OK || !broken || !k->rhs)
        return st;
    for (size_t r = 0; r < sol->model.lp.nrows; r++)
        sol->model.lp.rows[r].rhs = k->rhs[r];
    st = resolve(sol, opts, &ok);
    if (ra)
        ra->valid = 0;
    return st;
}

mp_status mpi_exact_rows(mp_solution *sol, const mp_solve_opts *opts, mpi_rows_at *ra)
{
    mpi_lp *lp = &sol->model.lp;
    size_t n = lp->nrows ? lp->nrows : 1;
    double *bound = mpi_calloc(2 * n, sizeof(double)), *solved = bound + n;
    if (!bound)
        return mpi_nomem();
    for (size_t r = 0; r < lp->nrows; r++) /* over the money paid, as the exact figures */
        bound[r] = lp->rows[r].rhs - mpi_row_rhs_shift(&sol->model, r);
    mp_status st = MP_OK;
    kept_plan kept = {NULL, 0};
    int ok = 1;
    for (int round = 0; st == MP_OK && ok && round < EXACT_ROUNDS; round++) {
        int moved = 0;
        for (size_t r = 0; r < lp->nrows; r++)
            solved[r] = lp->rows[r].rhs;
        st = move_bounds(sol, bound, ra, &moved, &kept);
        if (st != MP_OK || !moved)
            break;
        st = resolve(sol, opts, &ok);
        if (ra)
            ra->valid = 0; /* another plan */
    }
    /* A round that found no plan leaves the last one, with the right-hand
     * sides it was solved at (JSON lp_rhs, export-lp's file). */
    for (size_t r = 0; st == MP_OK && !ok && r < lp->nrows; r++)
        lp->rows[r].rhs = solved[r];
    if (st == MP_OK)
        st = back_to_kept(sol, opts, bound, ra, &kept);
    if (st == MP_OK && !sol->light)
        st = warn_broken(sol, bound, ra);
    free(kept.rhs);
    free(bound);
    return st;
}
