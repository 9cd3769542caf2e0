/* GLPK adapter: the only file that includes glpk.h. GLPK's error hook turns
 * its internal errors into an error return instead of an abort, and its
 * terminal output is kept (for messages) and passed to the caller's log
 * callback when verbose, never printed. */
#include "lp.h"

#include <errno.h>
#include <float.h>
#include <stdio.h>
#include <glpk.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct hook_state {
    jmp_buf jb;
    int *ind; /* row buffers, owned here so that an error jump frees them */
    double *val;
    char tail[512];                           /* the last output GLPK wrote, for error messages */
    void (*log)(void *ctx, const char *text); /* the solver log's reader, or NULL */
    void *log_ctx;
} hook_state;

static void on_error(void *info)
{
    hook_state *h = info;
    longjmp(h->jb, 1);
}

static int on_term(void *info, const char *s)
{
    hook_state *h = info;
    size_t have = strlen(h->tail), add = strlen(s);
    if (add >= sizeof h->tail) {
        s += add - (sizeof h->tail - 1);
        add = sizeof h->tail - 1;
    }
    if (have + add >= sizeof h->tail) {
        size_t drop = have + add - (sizeof h->tail - 1);
        memmove(h->tail, h->tail + drop, have - drop + 1);
        have -= drop;
    }
    memcpy(h->tail + have, s, add + 1);
    if (h->log)
        h->log(h->log_ctx, s);
    return 1; /* GLPK prints nothing itself */
}

/* A new hook state with row buffers long enough for the LP's longest row. */
static hook_state *hook_new(const mpi_lp *lp)
{
    if (lp->ncols > (size_t)INT32_MAX - 1 || lp->nrows > (size_t)INT32_MAX - 1)
        return NULL;
    size_t maxlen = 0;
    for (size_t r = 0; r < lp->nrows; r++)
        if (lp->rows[r].len > maxlen)
            maxlen = lp->rows[r].len;
    hook_state *h = mpi_calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->ind = mpi_calloc(maxlen + 1, sizeof(int));
    h->val = mpi_calloc(maxlen + 1, sizeof(double));
    if (!h->ind || !h->val) {
        free(h->ind);
        free(h->val);
        free(h);
        return NULL;
    }
    return h;
}

static void hook_free(hook_state *h)
{
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    free(h->ind);
    free(h->val);
    free(h);
}

/* Load the LP into a new problem, scaled by sc (NULL: as it is). Names are set only
 * when a namer is given. */
static glp_prob *load(const mpi_lp *lp, const mpi_lp_scale *sc, mpi_col_namer namer,
                      const void *ctx, int *ind, double *val)
{
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, lp->sense > 0 ? GLP_MAX : GLP_MIN);
    glp_set_obj_name(P, "objective");
    if (lp->ncols)
        glp_add_cols(P, (int)lp->ncols);
    char name[256];
    for (size_t j = 0; j < lp->ncols; j++) {
        int col = (int)j + 1;
        double cs = sc ? sc->col[j] : 1, os = sc ? sc->obj : 1;
        glp_set_col_bnds(P, col, lp->ub[j] > 0 ? GLP_DB : GLP_FX, 0, lp->ub[j] / cs);
        glp_set_obj_coef(P, col, lp->obj[j] * cs * os);
        if (namer) {
            namer(ctx, j, name, sizeof name);
            glp_set_col_name(P, col, name);
        }
    }
    if (lp->nrows)
        glp_add_rows(P, (int)lp->nrows);
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        int i = (int)r + 1;
        int type = row->op == MPI_LE ? GLP_UP : row->op == MPI_GE ? GLP_LO : GLP_FX;
        double rs = sc ? sc->row[r] : 1;
        glp_set_row_bnds(P, i, type, row->rhs * rs, row->rhs * rs);
        if (namer)
            glp_set_row_name(P, i, row->name);
        for (size_t k = 0; k < row->len; k++) {
            size_t j = lp->ind[row->start + k];
            ind[k + 1] = (int)j + 1;
            val[k + 1] = lp->val[row->start + k] * rs * (sc && j < lp->ncols ? sc->col[j] : 1);
        }
        glp_set_mat_row(P, i, (int)row->len, ind, val);
    }
    return P;
}

/* A dual-feasible starting basis: all rows basic, each column at the bound its
 * objective coefficient prefers. The dual simplex then only restores primal
 * feasibility, which the long-step ratio test does in few iterations. */
static void dual_feasible_basis(glp_prob *P, const mpi_lp *lp)
{
    for (size_t r = 0; r < lp->nrows; r++)
        glp_set_row_stat(P, (int)r + 1, GLP_BS);
    for (size_t j = 0; j < lp->ncols; j++) {
        double c = lp->obj[j] * lp->sense;
        int stat = lp->ub[j] > 0 ? (c > 0 ? GLP_NU : GLP_NL) : GLP_NS;
        glp_set_col_stat(P, (int)j + 1, stat);
    }
}

void mpi_lp_sol_free(mpi_lp_sol *s)
{
    if (!s)
        return;
    free(s->x);
    free(s->row_act);
    free(s->row_dual);
    free(s->rows_at);
    memset(s, 0, sizeof *s);
}

/* glp_free_env() (after a GLPK error) frees every problem of the thread:
 * handles remember the generation they were loaded in. */
static _Thread_local unsigned long env_generation;

/* GLPK's tm_lim: what is left of the run's deadline (0 once it has passed: GLPK
 * stops at its first check), else the options' limit for this call. */
static int time_left_ms(const mp_solve_opts *opts)
{
    double deadline_left = mpi_deadline_left_s();
    double left = deadline_left >= 0               ? deadline_left
                  : opts && opts->time_limit_s > 0 ? opts->time_limit_s
                                                   : -1;
    if (left < 0)
        return INT_MAX;
    return left * 1000 > 2e9 ? 2000000000 : (int)(left * 1000);
}

/* A problem loaded in GLPK with its hooks and row buffers. */
typedef struct mpi_glpk {
    glp_prob *P;
    hook_state *h;
    mpi_lp_scale sc; /* how the LP was scaled when loaded */
    unsigned long generation;
    size_t ncols, nrows;
    int hint; /* a verdict of no solution is a hint, taken from the first run */
} mpi_glpk;

static void glpk_close(mpi_glpk *g)
{
    if (!g)
        return;
    if (g->P && g->generation == env_generation)
        glp_delete_prob(g->P);
    if (g->h)
        hook_free(g->h);
    mpi_lp_scale_free(&g->sc);
    free(g);
}

static mp_status glpk_open(const mpi_lp *lp, mpi_glpk **out)
{
    *out = NULL;
    mpi_glpk *g = mpi_calloc(1, sizeof *g);
    hook_state *h = g ? hook_new(lp) : NULL;
    if (!h) {
        free(g);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory loading the LP"));
    }
    g->h = h;
    mp_status st = mpi_lp_scale_init(lp, &g->sc);
    if (st != MP_OK) {
        glpk_close(g);
        return st;
    }
    glp_error_hook(on_error, h);
    glp_term_hook(on_term, h);
    if (setjmp(h->jb)) {
        glp_free_env();
        env_generation++;
        st = mpi_fail(MP_ERR_SOLVER, N_("GLPK failed: %s"), mpi_trim(h->tail));
        g->P = NULL;
        glpk_close(g);
        return st;
    }
    g->P = load(lp, &g->sc, NULL, NULL, h->ind, h->val);
    g->generation = env_generation;
    g->ncols = lp->ncols;
    g->nrows = lp->nrows;
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    *out = g;
    return MP_OK;
}

/* The solution's arrays, zeroed. */
static mp_status alloc_solution(const mpi_lp *lp, mpi_lp_sol *sol)
{
    sol->x = mpi_calloc(lp->ncols, sizeof(double));
    sol->row_act = mpi_calloc(lp->nrows, sizeof(double));
    sol->row_dual = mpi_calloc(lp->nrows, sizeof(double));
    if (!sol->x || !sol->row_act || !sol->row_dual) {
        mpi_lp_sol_free(sol);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory for the LP solution"));
    }
    return MP_OK;
}

/* GLPK's kind of column j: 0/1, whole numbers (spots, insertions: their
 * scale is 1, lpnum.c) or continuous. */
static int col_kind(const mpi_lp *lp, size_t j)
{
    if (!lp->binary || lp->binary[j] == MPI_COL_CONT)
        return GLP_CV;
    /* GLP_BV resets the bounds to 0..1: a binary fixed at 0 (a period outside
       a flight) is a whole number in its bounds instead */
    return lp->binary[j] == MPI_COL_BINARY && lp->ub[j] == 1 ? GLP_BV : GLP_IV;
}

/* Scaling, the starting basis and the integer columns. */
static void prepare(glp_prob *P, const mpi_lp *lp)
{
    glp_scale_prob(P, GLP_SF_AUTO);
    dual_feasible_basis(P, lp);
    if (lp->binary)
        for (size_t j = 0; j < lp->ncols; j++)
            if (lp->binary[j])
                glp_set_col_kind(P, (int)j + 1, col_kind(lp, j));
}

/* How a simplex run is made. */
enum { RUN_DEFAULT, RUN_TIGHT, RUN_EXACT };

/* The dual simplex (long-step ratio test, no presolve: see DESIGN.md), with
 * tolerances a hundred times tighter, or GLPK's simplex in exact rational
 * arithmetic, and what its return code and status mean. */
static mp_status simplex(glp_prob *P, const mp_solve_opts *opts, int msg_lev, int how,
                         hook_state *h, mpi_lp_sol *sol)
{
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.meth = GLP_DUALP;
    parm.r_test = GLP_RT_FLIP;
    parm.presolve = GLP_OFF;
    parm.msg_lev = msg_lev;
    parm.tm_lim = time_left_ms(opts);
    if (how == RUN_TIGHT) {
        parm.tol_bnd = 1e-9;
        parm.tol_dj = 1e-9;
    }
    int rc = how == RUN_EXACT ? glp_exact(P, &parm) : glp_simplex(P, &parm);
    int status = glp_get_status(P);
    if (rc == GLP_ETMLIM)
        sol->status = MPI_LP_TIME_LIMIT;
    else if (rc != 0 && rc != GLP_ENOPFS && rc != GLP_ENODFS)
        return mpi_fail(MP_ERR_SOLVER, N_("GLPK simplex failed (code %d): %s"), rc,
                        mpi_trim(h->tail));
    else if (status == GLP_OPT)
        sol->status = MPI_LP_OPTIMAL;
    else if (status == GLP_NOFEAS || glp_get_prim_stat(P) == GLP_NOFEAS || rc == GLP_ENOPFS)
        sol->status = MPI_LP_INFEASIBLE;
    else if (status == GLP_UNBND || rc == GLP_ENODFS)
        sol->status = MPI_LP_UNBOUNDED;
    else
        return mpi_fail(MP_ERR_SOLVER, N_("GLPK ended with status %d: %s"), status,
                        mpi_trim(h->tail));
    return MP_OK;
}

static _Thread_local int stop_at_incumbent;

void mpi_glpk_test_stop_at_incumbent(int on)
{
    stop_at_incumbent = on;
}

/* Branch and cut's progress as it goes: its node count and gap (INFINITY
 * until it has an incumbent). */
static void on_tree(glp_tree *T, void *info)
{
    mpi_lp_sol *sol = info;
    int active, current, total;
    glp_ios_tree_size(T, &active, &current, &total);
    sol->mip_nodes = total;
    double gap = glp_ios_mip_gap(T);
    sol->mip_gap = gap < DBL_MAX ? gap : INFINITY;
    if (stop_at_incumbent && glp_ios_reason(T) == GLP_IBINGO)
        glp_ios_terminate(T);
}

/* With integer columns, branch and cut from the optimal relaxation, hybrid
 * pseudocost branching and GLPK's MIR, Gomory, cover and clique cuts,
 * stopping once its incumbent is proved within gap_tol of the best integer
 * point (0: proved the best). On a 16-week plan of TV and radio flights,
 * spots, insertions and social on/off (1,989 columns restricted), GLPK's
 * defaults found no booked plan in 40 s; these settings prove one within
 * 0.1 % in 14 s. Tight: an integrality tolerance of 1e-12 instead of
 * GLPK's 1e-5, and no cuts (the retry after an answer failing its check:
 * a cut's rounding can leave a binary a hair off 0 under a large cap). */
static mp_status branch_and_cut(glp_prob *P, const mp_solve_opts *opts, int msg_lev, hook_state *h,
                                int tight, double gap_tol, mpi_lp_sol *sol)
{
    glp_iocp iocp;
    glp_init_iocp(&iocp);
    if (tight)
        iocp.tol_int = 1e-12;
    else
        iocp.mir_cuts = iocp.gmi_cuts = iocp.cov_cuts = iocp.clq_cuts = GLP_ON;
    iocp.br_tech = GLP_BR_PCH;
    if (gap_tol > 0 && gap_tol < 1)
        iocp.mip_gap = gap_tol;
    iocp.presolve = GLP_OFF;
    iocp.msg_lev = msg_lev;
    iocp.tm_lim = time_left_ms(opts);
    iocp.cb_func = on_tree;
    iocp.cb_info = sol;
    sol->mip_nodes = 0;
    sol->mip_gap = INFINITY;
    int rc = glp_intopt(P, &iocp);
    int ms = glp_mip_status(P);
    if (rc == GLP_EMIPGAP && ms == GLP_FEAS) { /* proved within gap_tol: the answer asked for */
        ms = GLP_OPT;
        sol->mip_gap = isfinite(sol->mip_gap) ? fmin(sol->mip_gap, gap_tol) : gap_tol;
    } else if (ms == GLP_OPT)
        sol->mip_gap = 0;
    else if (ms == GLP_FEAS && !isfinite(sol->mip_gap)) /* an incumbent found last: not known */
        sol->mip_gap = NAN;
    if (ms == GLP_OPT)
        sol->status = MPI_LP_OPTIMAL;
    else if (ms == GLP_FEAS)
        sol->status = MPI_LP_TIME_LIMIT;
    else if (ms == GLP_NOFEAS)
        sol->status = MPI_LP_INFEASIBLE;
    else if (rc == GLP_ETMLIM) { /* no incumbent: the caller says what that means */
        sol->status = MPI_LP_TIME_LIMIT;
        sol->mip_gap = INFINITY;
    } else
        return mpi_fail(MP_ERR_SOLVER, N_("GLPK branch and cut failed (code %d): %s"), rc,
                        mpi_trim(h->tail));
    return MP_OK;
}

/* Columns, row activities and (for an LP) duals, back to 0-based arrays and
 * the LP's own units (the scale undone). */
static void read_solution(glp_prob *P, const mpi_lp *lp, const mpi_lp_scale *sc, mpi_lp_sol *sol)
{
    if (sol->mip) {
        sol->obj = glp_mip_obj_val(P) / sc->obj;
        for (size_t j = 0; j < lp->ncols; j++)
            sol->x[j] = glp_mip_col_val(P, (int)j + 1) * sc->col[j];
        for (size_t r = 0; r < lp->nrows; r++)
            sol->row_act[r] = glp_mip_row_val(P, (int)r + 1) / sc->row[r];
        return;
    }
    sol->obj = glp_get_obj_val(P) / sc->obj;
    for (size_t j = 0; j < lp->ncols; j++)
        sol->x[j] = glp_get_col_prim(P, (int)j + 1) * sc->col[j];
    for (size_t r = 0; r < lp->nrows; r++) {
        sol->row_act[r] = glp_get_row_prim(P, (int)r + 1) / sc->row[r];
        sol->row_dual[r] = glp_get_row_dual(P, (int)r + 1) * sc->row[r] / sc->obj;
    }
}

/* LPs up to this many non-zeros are solved again in exact arithmetic when their
 * solution fails its check (GLPK's exact simplex from the last basis). */
#define EXACT_MAX_NNZ 200000

/* Why a solution that failed its check is no plan. */
static mp_status check_failed(const mpi_lp *lp, const mpi_lp_check *chk)
{
    if (chk->worst_row != (size_t)-1 && chk->excess_rel > MPI_LP_TOL_REL) {
        const mpi_row *row = &lp->rows[chk->worst_row];
        const char *name = row->name                    ? row->name
                           : row->kind == MPI_ROW_ORDER ? "keeping a curve's segments in order"
                                                        : "of the solver's own";
        return mpi_fail(MP_ERR_SOLVER,
                        N_("the solver's plan fails its check: row %s is %.3g (relative) outside "
                           "its bound; no plan is reported (README, Limits)"),
                        name, chk->excess_rel);
    }
    return mpi_fail(MP_ERR_SOLVER,
                    N_("the solver's plan fails its check: its row prices break an optimality "
                       "condition by %.3g (relative); no plan is reported "
                       "(README, Limits)"),
                    chk->dual_rel);
}

/* Whether the answer of a run made `how` stands: an optimum that passes its
 * check against the LP in double (lpnum.c), or a verdict of infeasible or
 * unbounded from GLPK's exact simplex, or from the tighter run when the LP is
 * too large for the exact one. */
static mp_status judge(const mpi_lp *lp, int how, int exact_ok, mpi_lp_sol *sol, mpi_lp_check *chk,
                       int *ok)
{
    mp_status st = mpi_lp_verify(lp, sol, chk);
    if (sol->status == MPI_LP_OPTIMAL)
        *ok = chk->ok;
    else
        *ok =
            sol->status == MPI_LP_TIME_LIMIT || how == RUN_EXACT || (how == RUN_TIGHT && !exact_ok);
    return st;
}

/* A MIP answer that fails its check because branch and cut left a binary
 * within its integrality tolerance of 0 or 1 (a segment a millionth of a
 * currency unit wide then breaks its fill-order row): the binaries rounded
 * and fixed, the LP over the other columns solved again and checked as an
 * LP. The answer stays a MIP's (no row prices). */
static mp_status verified(mpi_glpk *g, const mpi_lp *lp, const mp_solve_opts *opts, int msg_lev,
                          mpi_lp_sol *sol);
static mp_status polish_mip(mpi_glpk *g, const mpi_lp *lp, const mp_solve_opts *opts, int msg_lev,
                            mpi_lp_sol *sol)
{
    for (size_t j = 0; j < lp->ncols; j++) {
        if (!lp->binary[j])
            continue;
        double z = floor(glp_mip_col_val(g->P, (int)j + 1) + 0.5);
        glp_set_col_kind(g->P, (int)j + 1, GLP_CV);
        glp_set_col_bnds(g->P, (int)j + 1, GLP_FX, z, z);
    }
    sol->mip = 0;
    mp_status st = simplex(g->P, opts, msg_lev, RUN_DEFAULT, g->h, sol);
    int solved = st == MP_OK && sol->status == MPI_LP_OPTIMAL;
    if (solved)
        read_solution(g->P, lp, &g->sc, sol);
    /* Checked as the MIP answer it is: rows, bounds and whole values. Its row
     * prices are those of the LP with the integers fixed, which the MIP's
     * columns (free between their bounds in lp) do not meet, and no MIP
     * answer reports prices. */
    sol->mip = 1;
    memset(sol->row_dual, 0, lp->nrows * sizeof *sol->row_dual);
    if (solved) {
        mpi_lp_check chk;
        if ((st = mpi_lp_verify(lp, sol, &chk)) != MP_OK || chk.ok)
            return st;
    }
    if (st != MP_OK)
        return st;
    /* Rounded, the binaries leave no plan: branch and cut again with a tight
     * integrality tolerance decides whether another choice of them does. */
    for (size_t j = 0; j < lp->ncols; j++)
        if (lp->binary[j]) {
            double ub = lp->ub[j];
            glp_set_col_bnds(g->P, (int)j + 1, ub > 0 ? GLP_DB : GLP_FX, 0, ub);
            glp_set_col_kind(g->P, (int)j + 1, col_kind(lp, j));
        }
    st = simplex(g->P, opts, msg_lev, RUN_DEFAULT, g->h, sol);
    if (st == MP_OK && sol->status == MPI_LP_OPTIMAL)
        st = branch_and_cut(g->P, opts, msg_lev, g->h, 1, lp->mip_gap_tol, sol);
    if (st != MP_OK || sol->status != MPI_LP_OPTIMAL)
        return st;
    read_solution(g->P, lp, &g->sc, sol);
    mpi_lp_check chk;
    if ((st = mpi_lp_verify(lp, sol, &chk)) == MP_OK && !chk.ok)
        st = check_failed(lp, &chk);
    return st;
}

/* GLPK's answer, checked. One that fails (or a verdict of infeasible) is
 * solved again from its basis with tighter tolerances, then (small LPs) in
 * exact arithmetic; an optimum that still fails its check is an error, never
 * a plan. A MIP's answer that fails is polished (polish_mip). */
static mp_status verified(mpi_glpk *g, const mpi_lp *lp, const mp_solve_opts *opts, int msg_lev,
                          mpi_lp_sol *sol)
{
    mpi_lp_check chk;
    int ok, exact_ok = lp->nnz <= EXACT_MAX_NNZ && lp->ncols && lp->nrows;
    mp_status st = judge(lp, RUN_DEFAULT, exact_ok, sol, &chk, &ok);
    if (g->hint && !sol->mip &&
        (sol->status == MPI_LP_INFEASIBLE || sol->status == MPI_LP_UNBOUNDED))
        return st;
    if (st == MP_OK && !ok && sol->mip && sol->status == MPI_LP_OPTIMAL)
        return polish_mip(g, lp, opts, msg_lev, sol);
    for (int how = RUN_TIGHT; st == MP_OK && !ok && !sol->mip && how <= RUN_EXACT; how++) {
        if (how == RUN_EXACT && !exact_ok)
            break;
        st = simplex(g->P, opts, msg_lev, how, g->h, sol);
        if (st == MP_OK) {
            read_solution(g->P, lp, &g->sc, sol);
            st = judge(lp, how, exact_ok, sol, &chk, &ok);
        }
    }
    if (st == MP_OK && sol->status == MPI_LP_OPTIMAL && !chk.ok)
        st = check_failed(lp, &chk);
    return st;
}

static mp_status run(mpi_glpk *g, const mpi_lp *lp, const mp_solve_opts *opts, mpi_lp_sol *sol)
{
    memset(sol, 0, sizeof *sol);
    if (!g->P || g->generation != env_generation || lp->ncols != g->ncols || lp->nrows != g->nrows)
        return mpi_fail(MP_ERR_INTERNAL, N_("LP handle does not fit this LP"));
    mp_status st = alloc_solution(lp, sol);
    if (st != MP_OK)
        return st;
    hook_state *h = g->h;
    int verbose = opts && opts->verbose;
    h->tail[0] = '\0';
    h->log = verbose ? opts->log : NULL;
    h->log_ctx = verbose ? opts->log_ctx : NULL;
    glp_error_hook(on_error, h);
    glp_term_hook(on_term, h);
    if (setjmp(h->jb)) {
        /* GLPK's environment is unusable after an error: free it whole. */
        glp_free_env();
        env_generation++;
        g->P = NULL;
        st = mpi_fail(MP_ERR_SOLVER, N_("GLPK failed: %s"), mpi_trim(h->tail));
        mpi_lp_sol_free(sol);
        return st;
    }
    int msg_lev = verbose ? GLP_MSG_ON : GLP_MSG_ERR;
    prepare(g->P, lp);
    sol->mip = lp->binary != NULL;
    st = simplex(g->P, opts, msg_lev, RUN_DEFAULT, h, sol);
    if (st == MP_OK && sol->mip && sol->status == MPI_LP_OPTIMAL)
        st = branch_and_cut(g->P, opts, msg_lev, h, 0, lp->mip_gap_tol, sol);
    if (st == MP_OK && !mpi_lp_sol_pointless(sol))
        read_solution(g->P, lp, &g->sc, sol);
    if (st == MP_OK && !mpi_lp_sol_pointless(sol))
        st = verified(g, lp, opts, msg_lev, sol);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    if (st != MP_OK)
        mpi_lp_sol_free(sol);
    return st;
}

/* Past the deadline, loading a large LP would itself take seconds: the point returned is
 * every column at 0, which the caller keeps only if it meets every row. */
static mp_status out_of_time(const mpi_lp *lp, mpi_lp_sol *sol)
{
    sol->status = MPI_LP_TIME_LIMIT;
    sol->x = mpi_calloc(lp->ncols ? lp->ncols : 1, sizeof(double));
    sol->row_act = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof(double));
    sol->row_dual = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof(double));
    if (sol->x && sol->row_act && sol->row_dual)
        return MP_OK;
    mpi_lp_sol_free(sol);
    return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
}

static mp_status solve_once(const mpi_lp *lp, const mp_solve_opts *opts, int hint, mpi_lp_sol *sol)
{
    mpi_glpk *g;
    memset(sol, 0, sizeof *sol);
    if (mpi_deadline_passed())
        return out_of_time(lp, sol);
    mp_status st = glpk_open(lp, &g);
    if (st != MP_OK)
        return st;
    g->hint = hint;
    st = run(g, lp, opts, sol);
    glpk_close(g);
    return st;
}

mp_status mpi_glpk_solve(const mpi_lp *lp, const mp_solve_opts *opts, mpi_lp_sol *sol)
{
    return solve_once(lp, opts, 0, sol);
}

mp_status mpi_glpk_solve_hint(const mpi_lp *lp, const mp_solve_opts *opts, mpi_lp_sol *sol)
{
    return solve_once(lp, opts, 1, sol);
}

/* The objective's constant c0 as a column fixed at 1 named carried_in:
 * GLPK's LP writer puts c0 in a comment, and its reader takes no constant. */
static void add_constant(glp_prob *P, double c0)
{
    if (c0 == 0)
        return;
    int col = glp_add_cols(P, 1);
    glp_set_col_name(P, col, "carried_in");
    glp_set_col_bnds(P, col, GLP_FX, 1, 1);
    glp_set_obj_coef(P, col, c0);
}

mp_status mpi_glpk_write_lp(const mpi_lp *lp, double c0, mpi_col_namer namer, const void *ctx,
                            const char *path, const char *name)
{
    hook_state *h = hook_new(lp);
    if (!h)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory loading the LP"));
    glp_prob *volatile P = NULL;
    glp_error_hook(on_error, h);
    glp_term_hook(on_term, h);
    if (setjmp(h->jb)) {
        glp_free_env();
        env_generation++;
        mp_status st = mpi_fail(MP_ERR_SOLVER, N_("GLPK failed: %s"), mpi_trim(h->tail));
        hook_free(h);
        return st;
    }
    P = load(lp, NULL, namer, ctx, h->ind, h->val);
    add_constant(P, c0);
    errno = 0;
    int rc = glp_write_lp(P, NULL, path);
    int err = errno;
    glp_delete_prob(P);
    mp_status st = rc == 0 ? MP_OK : mpi_write_error(name, "LP", err, mpi_trim(h->tail));
    hook_free(h);
    return st;
}

void mpi_glpk_thread_end(void)
{
    /* GLPK keeps an environment per thread; a worker's would be lost */
    glp_free_env();
    env_generation++;
}
