/* The report view (report.h): labels, channel figures, media totals, group
 * totals and constraint rows of a solution, computed once for every renderer. */
#include "whatif.h"

#include <stdlib.h>
#include <string.h>

/* ---- media families ------------------------------------------------------ */

/* Whether model i's family is the first of its name in the registry. */
static int first_of_family(size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (!strcmp(mpi_models[j]->media, mpi_models[i]->media))
            return 0;
    return 1;
}

size_t mpi_media_family_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < mpi_model_count; i++)
        n += first_of_family(i);
    return n;
}

size_t mpi_media_count(void)
{
    return mpi_media_family_count() + 2;
}

size_t mpi_media_digital(void)
{
    return mpi_media_family_count();
}

const char *mpi_media_name(size_t m)
{
    for (size_t i = 0; i < mpi_model_count; i++)
        if (first_of_family(i) && m-- == 0)
            return mpi_models[i]->media;
    return m == 0 ? "digital" : m == 1 ? "offline" : NULL;
}

long mpi_media_find(const char *name)
{
    for (size_t m = 0; name && m < mpi_media_count(); m++)
        if (!strcmp(name, mpi_media_name(m)))
            return (long)m;
    return -1;
}

size_t mpi_media_of(const mpi_channel *ch)
{
    long m = mpi_media_find(ch->ops->media);
    return m < 0 ? 0 : (size_t)m; /* every model's family is in the registry */
}

void mpi_media_split(const mp_solution *sol, double *media)
{
    const mp_plan *plan = sol->plan;
    size_t digital = mpi_media_digital();
    for (size_t m = 0; m < mpi_media_count(); m++)
        media[m] = 0;
    for (size_t c = 0; c < plan->nch; c++) {
        double s = MPI_CH_KPI(sol, c, MPI_SPEND);
        media[mpi_media_of(&plan->ch[c])] += s;
        media[plan->ch[c].digital ? digital : digital + 1] += s;
    }
}

/* ---- labels ----------------------------------------------------------------- */

/* What a min plan's channels are read by: people reached when its
 * constraints ask for reach (or effective reach) and nothing of conversions
 * or revenue (a reach-only plan: no conversion columns), else conversions. */
static int min_return(const mp_plan *plan)
{
    int reach = 0;
    for (size_t i = 0; i < plan->ncons; i++) {
        const mpi_expr *e = &plan->cons[i].e;
        int q = e->measure == MPI_M_KPI ? mpi_expr_bound_kpi(e) : -1;
        if (e->measure == MPI_M_CPA || e->measure == MPI_M_ROAS || q == MPI_CONVERSIONS ||
            q == MPI_REVENUE)
            return MPI_CONVERSIONS;
        reach |= q == MPI_REACH;
    }
    return reach ? MPI_REACH : MPI_CONVERSIONS;
}

void mpi_objective_of(const mp_plan *plan, mpi_objective *out)
{
    int max = plan->obj_sense > 0;
    out->q = plan->obj_kpi;
    out->sense = max ? N_("max") : N_("min");
    out->kpi = max ? mpi_kpi_names[plan->obj_kpi] : plan->obj_kpi == MPI_CO2 ? "co2" : N_("cost");
    out->unit = mpi_kpi_unit(plan, plan->obj_kpi);
    out->return_q = max ? plan->obj_kpi : min_return(plan);
    if (plan->obj_eff) /* people, as reach (its obj_kpi among the plans that reach it) */
        out->kpi = "effective_reach";
}

void mpi_marginal_cost_unit_in(mpi_lang lang, const mp_plan *plan, int q, char *buf, size_t n)
{
    /* one of a KPI, as the LP row counts it */
    static const char *const one[MPI_NKPI] = {
        N_("unit of spend"),   N_("impression"), N_("click"),          N_("conversion"),
        N_("unit of revenue"), N_("GRP"),        N_("person reached"), N_("kg CO2e")};
    const char *what = q >= 0 && q < MPI_NKPI ? one[q] : N_("unit of the target");
    snprintf(buf, n, mpi_tr(lang, "%s per %s more"), plan->currency, mpi_tr(lang, what));
}

void mpi_marginal_cost_unit(const mp_plan *plan, int q, char *buf, size_t n)
{
    mpi_marginal_cost_unit_in(MPI_LANG_EN, plan, q, buf, n);
}

static double ratio(double num, double den)
{
    return den > 0 ? num / den : NAN;
}

static double share(double part, double total)
{
    return total > 0 ? part / total : 0;
}

/* ---- the view ----------------------------------------------------------------- */

static void fill_labels(mpi_report *r)
{
    const mp_plan *plan = r->plan;
    mpi_objective_of(plan, &r->obj);
    r->status = mpi_result_str(r->sol->result);
    mpi_fmt_date(r->start, sizeof r->start, plan->start);
    r->period_unit = plan->period_kind == MPI_WEEK ? "week" : "month";
    r->period_units = plan->period_kind == MPI_WEEK ? "weeks" : "months";
    r->budget_mode = plan->budget_exact ? "exact" : "cap";
}

/* Every media family's words, the one list of them: each family the registry
 * and mpi_media_name() give, as a sentence says it (the terminal: "paid
 * search", "TV", "other media"; "recherche payante" in French) and as a
 * table heads it (the workbook: "Paid search", "Recherche payante"). Both
 * are planner words, never the plan's type names ("tv", "curve"). */
static const struct media_words {
    const char *name;
    const char *sentence; /* msgid of context "media in a sentence" */
    const char *heading;  /* msgid of context "media in a table" */
} media_words[] = {
    {"search", NC_("media in a sentence", "paid search"), NC_("media in a table", "Paid search")},
    {"social", NC_("media in a sentence", "social"), NC_("media in a table", "Social")},
    {"tv", NC_("media in a sentence", "TV"), NC_("media in a table", "TV")},
    {"radio", NC_("media in a sentence", "radio"), NC_("media in a table", "Radio")},
    {"press", NC_("media in a sentence", "press"), NC_("media in a table", "Press")},
    {"curve", NC_("media in a sentence", "other media"), NC_("media in a table", "Other media")},
    {"digital", NC_("media in a sentence", "digital"), NC_("media in a table", "Digital")},
    {"offline", NC_("media in a sentence", "offline"), NC_("media in a table", "Offline")},
};

static const struct media_words *media_words_of(const char *name)
{
    for (size_t i = 0; name && i < sizeof media_words / sizeof media_words[0]; i++)
        if (!strcmp(name, media_words[i].name))
            return &media_words[i];
    return NULL;
}

const char *mpi_media_label(mpi_lang lang, const char *name)
{
    const struct media_words *w = media_words_of(name);
    return w ? mpi_trc(lang, "media in a sentence", w->sentence) : name;
}

const char *mpi_media_heading(mpi_lang lang, const char *name)
{
    const struct media_words *w = media_words_of(name);
    return w ? mpi_trc(lang, "media in a table", w->heading) : name;
}

void mpi_certified_text(char *buf, size_t n, double gap, int relaxed)
{
    mpi_certified_text_in(MPI_LANG_EN, buf, n, gap, relaxed);
}

void mpi_gap_pct_text(mpi_lang lang, char *buf, size_t n, double gap)
{
    double pct = 100 * gap;
    int digits = pct >= 0.01 ? 2 : (int)fmin(6, 1 - floor(log10(fmax(pct, 1e-7))));
    double scale = pow(10, digits), up = ceil(pct * scale * (1 - 1e-12)) / scale;
    snprintf(buf, n, "%.*f", digits, up);
    size_t len = strlen(buf);
    while (len > 1 && buf[len - 1] == '0' && strchr(buf, '.'))
        buf[--len] = '\0';
    if (len > 0 && buf[len - 1] == '.')
        buf[--len] = '\0';
    if (lang == MPI_LANG_FR)
        for (char *p = buf; *p; p++)
            *p = *p == '.' ? ',' : *p;
}

void mpi_certified_text_in(mpi_lang lang, char *buf, size_t n, double gap, int relaxed)
{
    if (isnan(gap)) {
        snprintf(buf, n, "%s", mpi_tr(lang, "no certified bound"));
        return;
    }
    char num[32];
    mpi_gap_pct_text(lang, num, sizeof num, gap);
    switch (relaxed) {
    case MPI_BOUND_RELAXED: /* the curves' first euros first: its bound is the plan's without */
        snprintf(buf, n,
                 mpi_tr(lang, "within %s %% of the exact optimum, certified from the plan "
                              "whose curves need not be bought from their first euros"),
                 num);
        break;
    case MPI_BOUND_BOOKED: /* the relaxation is the plan bought freely */
        snprintf(buf, n,
                 mpi_tr(lang, "the booking rules (whole spots and insertions, flights, minimum "
                              "bookings) cost at most %s %% against buying freely"),
                 num);
        break;
    case MPI_BOUND_BOOKED_WEAK: /* a Markov bound is no plan's: its gap says nothing */
        snprintf(buf, n, "%s",
                 mpi_tr(lang, "no tighter bound is known for effective reach over several "
                              "channels"));
        break;
    case MPI_BOUND_GRID:
        snprintf(buf, n,
                 mpi_tr(lang, "within %s %% of the best plan with the effective reach floor "
                              "loosened, certified"),
                 num);
        break;
    case MPI_BOUND_HELD:
        snprintf(buf, n,
                 mpi_tr(lang, "%s %% from the best any plan reaches with its constraints held "
                              "on average only (certified): the gap is the price of holding "
                              "them in every draw, not a shortfall of this plan"),
                 num);
        break;
    case MPI_BOUND_RISK:
        snprintf(buf, n,
                 mpi_tr(lang, "%s %% from the best mean any plan reaches (certified): the gap "
                              "is the price of choosing the plan for the bad draws, not a "
                              "shortfall of this plan"),
                 num);
        break;
    case MPI_BOUND_RISK_HELD:
        snprintf(buf, n,
                 mpi_tr(lang, "%s %% from the best mean any plan reaches with its constraints "
                              "held on average only (certified): the gap is the price of "
                              "choosing the plan for the bad draws and of holding the "
                              "constraints in every draw, not a shortfall of this plan"),
                 num);
        break;
    default: snprintf(buf, n, mpi_tr(lang, "within %s %% of the exact optimum, certified"), num);
    }
}

/* What sol's certified bound is of (enum mpi_bound_of). */
static int bound_of(const mp_solution *sol)
{
    int held = sol->hold_tight != NULL, risk = sol->risk && !sol->risk->stopped;
    if (!sol->lp.mip)
        return MPI_BOUND_LP;
    if (sol->booked && !mpi_plan_books_channels(sol->plan)) /* max effective_reach: its own */
        return sol->plan->obj_eff ? MPI_BOUND_LP : MPI_BOUND_GRID;
    if (sol->booked)
        return mpi_plan_eff_grid(sol->plan) ? MPI_BOUND_BOOKED_WEAK : MPI_BOUND_BOOKED;
    if (!held && !risk)
        return MPI_BOUND_RELAXED;
    return risk ? (held ? MPI_BOUND_RISK_HELD : MPI_BOUND_RISK) : MPI_BOUND_HELD;
}

void mpi_grid_steps_text_in(mpi_lang lang, char *buf, size_t n, const mp_solution *sol)
{
    unsigned long nodes = (unsigned long)sol->mip_nodes;
    if (sol->mip_status == MPI_LP_OPTIMAL)
        snprintf(buf, n, mpi_trn(lang, "%lu search step", "%lu search steps", nodes), nodes);
    else
        mpi_branch_text_in(lang, buf, n, sol);
}

void mpi_booked_text_in(mpi_lang lang, char *buf, size_t n, const mp_solution *sol)
{
    char gap[32];
    *buf = '\0';
    if (!sol->booked)
        return;
    if (mpi_booked_none(sol))
        snprintf(buf, n, "%s",
                 mpi_tr(lang, "none found before the time limit, so the plan spends nothing"));
    else if (sol->mip_status == MPI_LP_OPTIMAL && bound_of(sol) == MPI_BOUND_BOOKED_WEAK)
        snprintf(buf, n, "%s", /* the grid's best, its bound no plan's: not proven the best */
                 mpi_tr(lang, "the best found on a grid of each channel's reach levels, refined "
                              "around it: it meets the effective reach floor, but a better plan "
                              "between the levels is not ruled out"));
    else if (sol->mip_status == MPI_LP_OPTIMAL && sol->mip_gap_glpk > 0) {
        /* stopped once proved within the plan's gap (--gap) */
        mpi_gap_pct_text(lang, gap, sizeof gap, sol->mip_gap_glpk);
        snprintf(buf, n,
                 mpi_tr(lang, "the best of the plans that can be booked, to within %s %% "
                              "(--gap)"),
                 gap);
    } else if (sol->mip_status == MPI_LP_OPTIMAL)
        snprintf(buf, n, "%s", mpi_tr(lang, "the best of the plans that can be booked"));
    else if (isnan(sol->mip_gap_glpk))
        snprintf(buf, n, "%s",
                 mpi_tr(lang, "the best found before the time limit, not proven the best that "
                              "can be booked"));
    else {
        mpi_gap_pct_text(lang, gap, sizeof gap, sol->mip_gap_glpk);
        snprintf(buf, n,
                 mpi_tr(lang, "the best found before the time limit, within %s %% of the best "
                              "plan that can be booked"),
                 gap);
    }
}

void mpi_branch_text_in(mpi_lang lang, char *buf, size_t n, const mp_solution *sol)
{
    unsigned long nodes = (unsigned long)sol->mip_nodes;
    *buf = '\0';
    if (!sol->booked)
        return;
    if (sol->mip_status == MPI_LP_OPTIMAL && bound_of(sol) == MPI_BOUND_BOOKED_WEAK)
        snprintf(buf, n, mpi_trn(lang, "%lu step", "%lu steps", nodes), nodes);
    else if (sol->mip_status == MPI_LP_OPTIMAL)
        snprintf(buf, n,
                 mpi_trn(lang, "proven the best after %lu step", "proven the best after %lu steps",
                         nodes),
                 nodes);
    else if (mpi_booked_none(sol))
        snprintf(buf, n, "%s", mpi_tr(lang, "stopped at the time limit before any booked plan"));
    else
        snprintf(buf, n,
                 mpi_trn(lang, "stopped at the time limit after %lu step",
                         "stopped at the time limit after %lu steps", nodes),
                 nodes);
}

static void fill_totals(mpi_report *r)
{
    const mp_solution *sol = r->sol;
    r->objective = r->solved ? sol->objective : NAN;
    r->lp_objective = r->solved ? sol->lp_objective : NAN;
    r->bound = r->solved ? sol->bound : NAN;
    r->gap = r->solved ? sol->gap : NAN;
    r->bound_relaxed = r->solved && sol->lp.mip;
    r->bound_of = r->solved ? bound_of(sol) : MPI_BOUND_LP;
    mpi_certified_text(r->certified, sizeof r->certified, r->gap, r->bound_of);
    r->reach_dedup = r->solved ? sol->reach_dedup : NAN;
    r->reach_summed = r->solved ? sol->reach_summed : NAN;
    r->eff_freq = mpi_effective_frequency(r->plan, (size_t)-1);
    r->eff_any = r->eff_freq > 0;
    for (size_t c = 0; c < r->plan->nch; c++)
        r->eff_any |= mpi_effective_frequency(r->plan, c) > 0;
    r->eff_reach = r->solved && r->eff_freq > 0 ? sol->eff_reach : NAN;
    size_t t = mpi_effective_target(r->plan);
    r->eff_marginal_k =
        t != (size_t)-1 && r->solved && sol->ch_eff_marginal ? r->plan->cons[t].e.eff_k : 0;
    for (int q = 0; q < MPI_NKPI; q++)
        r->kpi[q] = r->solved ? sol->kpi[q] : NAN;
    r->total_spend = r->kpi[MPI_SPEND];
}

/* r->measured: spend, any KPI whose total is not 0, and any a segment of
 * some curve yields (on a curve whose yields fall, the first segment yields
 * most). The walk ends once every KPI is found. */
static void fill_measured(mpi_report *r)
{
    const mpi_curve_list *cl = &r->sol->model.curves;
    int left = MPI_NKPI;
    for (int q = 0; q < MPI_NKPI; q++) {
        r->measured[q] = q == MPI_SPEND || (r->solved && r->kpi[q] != 0 && !isnan(r->kpi[q]));
        left -= r->measured[q];
    }
    for (size_t i = 0; left && i < cl->n; i++) {
        const mpi_curve *cv = &cl->v[i];
        int nseg = cv->mono && cv->nseg > 1 ? 1 : cv->nseg;
        for (int q = 0; q < MPI_NKPI && mpi_curve_has_yields(cv); q++)
            for (int s = 0; !r->measured[q] && s < nseg; s++)
                if (mpi_curve_data_yield(cv, s, q) > 0) {
                    r->measured[q] = 1;
                    left--;
                }
    }
}

/* Whether period t's budget binds in sol's plan. */
int mpi_period_capped(const mp_solution *sol, size_t t)
{
    const mpi_lp *lp = &sol->model.lp;
    for (size_t i = 0; i < lp->nrows; i++)
        if (lp->rows[i].kind == MPI_ROW_PERIOD && lp->rows[i].ref == (int)t && sol->rows[i].binding)
            return 1;
    return 0;
}

/* Channel c's marginal return where more money can still go: its best
 * period's whose budget does not bind (a capped week's higher return is
 * there only by moving that week's cap), else its best period's. */
static double open_marginal(const mp_solution *sol, size_t c)
{
    size_t np = (size_t)sol->plan->periods;
    double best = NAN;
    for (size_t t = 0; sol->cp_marginal && sol->rows && t < np; t++) {
        double m = sol->cp_marginal[c * np + t];
        if (!isnan(m) && (isnan(best) || m > best) && !mpi_period_capped(sol, t))
            best = m;
    }
    return isnan(best) ? sol->ch_marginal[c] : best;
}

static void fill_channel(const mpi_report *r, size_t c, mpi_report_channel *o)
{
    const mp_solution *sol = r->sol;
    const mpi_channel *ch = &r->plan->ch[c];
    o->ch = ch;
    o->name = ch->name;
    o->type = ch->ops->type;
    o->media = ch->ops->media;
    o->media_index = mpi_media_of(ch);
    o->digital = ch->digital != 0;
    for (int q = 0; q < MPI_NKPI; q++)
        o->kpi[q] = r->solved ? MPI_CH_KPI(sol, c, q) : NAN;
    o->spend = o->kpi[MPI_SPEND];
    o->share = r->solved ? share(o->spend, r->total_spend) : NAN;
    o->marginal = r->solved ? open_marginal(sol, c) : NAN;
    o->eff_marginal = r->solved && sol->ch_eff_marginal ? sol->ch_eff_marginal[c] : NAN;
    o->per_return = ratio(o->spend, o->kpi[r->obj.return_q]);
    o->cpa = ratio(o->spend, o->kpi[MPI_CONVERSIONS]);
    o->eff_freq = mpi_effective_frequency(r->plan, c);
    o->eff_reach = r->solved && o->eff_freq > 0 && sol->ch_eff_reach ? sol->ch_eff_reach[c] : NAN;
    o->roas = ratio(o->kpi[MPI_REVENUE], o->spend);
}

static void fill_media(mpi_report *r)
{
    double spend[MPI_MAX_MEDIA];
    if (r->solved)
        mpi_media_split(r->sol, spend);
    for (size_t m = 0; m < r->nmedia; m++) {
        mpi_report_media *o = &r->media[m];
        o->name = mpi_media_name(m);
        o->present = m >= r->nfamilies;
        o->spend = r->solved ? spend[m] : NAN;
        o->share = r->solved ? share(o->spend, r->total_spend) : NAN;
    }
    for (size_t c = 0; c < r->nch; c++)
        r->media[r->ch[c].media_index].present = 1;
}

static void fill_periods(mpi_report *r)
{
    for (size_t t = 0; t < r->nperiods; t++) {
        mpi_report_period *o = &r->period[t];
        mpi_fmt_date(o->start, sizeof o->start, r->plan->period_start[t]);
        o->spend = r->solved ? 0 : NAN;
        for (size_t c = 0; c < r->nch && r->solved; c++)
            o->spend += MPI_CP_KPI(r->sol, c, t, MPI_SPEND);
    }
}

static mp_status fill_groups(mpi_report *r)
{
    mpi_group_total *gt = NULL;
    size_t n = 0;
    mp_status st = r->solved ? mpi_group_totals(r->sol, &gt, &n) : MP_OK;
    if (st != MP_OK)
        return st;
    r->group = mpi_calloc(n ? n : 1, sizeof *r->group);
    if (!r->group) {
        free(gt);
        return mpi_nomem();
    }
    for (size_t i = 0; i < n; i++) {
        mpi_report_group *o = &r->group[i];
        o->channel = r->plan->ch[gt[i].channel].name;
        o->name = gt[i].group;
        o->keywords = gt[i].keywords;
        o->spend = gt[i].spend;
        o->clicks = gt[i].clicks;
        o->conversions = gt[i].conversions;
        o->revenue = gt[i].revenue;
        o->impressions = gt[i].impressions;
        o->cpa = ratio(o->spend, o->conversions);
    }
    r->ngroups = n;
    free(gt);
    return MP_OK;
}

/* per/step in lang: the unit's name and one unit more of it. */
typedef struct unit_words {
    mpi_lang lang;
    char *per, *step;
    size_t nper, nstep;
} unit_words;

static void say_unit(const unit_words *w, const char *per, const char *step)
{
    snprintf(w->per, w->nper, "%s", per);
    snprintf(w->step, w->nstep, "%s", step);
}

/* One unit of a KPI target's bound (see mpi_report_row.shadow): how far
 * the row's right-hand side moves, with its names. */
static double kpi_unit(const mpi_report *r, int q, const unit_words *w)
{
    mpi_lang l = w->lang;
    switch (q) {
    case MPI_SPEND:
    case MPI_REVENUE: break;
    case MPI_IMPRESSIONS:
        say_unit(w, mpi_tr(l, "1,000 impressions"), mpi_tr(l, "1,000 more impressions"));
        return 1000;
    case MPI_REACH:
        if (r->plan->universe > 0) {
            say_unit(w, mpi_tr(l, "point of reach"), mpi_tr(l, "1 more point of reach"));
            return r->plan->universe / 100;
        }
        say_unit(w, mpi_tr(l, "1,000 people"), mpi_tr(l, "1,000 more people reached"));
        return 1000;
    case MPI_CO2: /* the row counts kg */
        say_unit(w, mpi_tr(l, "tonne CO2e"), mpi_tr(l, "1 more tonne CO2e"));
        return 1000;
    case MPI_GRP: say_unit(w, "GRP", mpi_tr(l, "1 more GRP")); return 1;
    case MPI_CLICKS:
        say_unit(w, mpi_trc(l, "shadow price unit", "click"), mpi_tr(l, "1 more click"));
        return 1;
    default: /* conversions: one of them */
        say_unit(w, mpi_trc(l, "shadow price unit", "conversion"), mpi_tr(l, "1 more conversion"));
        return 1;
    }
    snprintf(w->per, w->nper, mpi_tr(l, "1,000 %s"), r->plan->currency);
    snprintf(w->step, w->nstep, mpi_tr(l, "1 k%s more"), r->plan->currency);
    return 1000;
}

/* One unit of row o's bound in the terms the plan writes it (shadow.c's
 * prices are per those terms): a percentage point of a share or ROAS (0.01
 * of the fraction), a currency unit of a CPA cap, else kpi_unit's. Its
 * name in per, one unit more in step, both in lang. */
double mpi_row_unit_words(const mpi_report *r, const mpi_report_row *o, mpi_lang lang, char *per,
                          size_t nper, char *step, size_t nstep)
{
    const mpi_expr *e = o->cons ? &o->cons->e : NULL;
    const unit_words w = {lang, per, step, nper, nstep};
    if (!e || (e->measure == MPI_M_KPI))
        return kpi_unit(r, !e ? MPI_SPEND : e->eff_k > 0 ? MPI_REACH : e->kpi, &w);
    if (e->measure == MPI_M_CPA) {
        snprintf(per, nper, mpi_tr(lang, "%s of the cap"), r->plan->currency);
        snprintf(step, nstep, mpi_tr(lang, "1 %s more on the cap"), r->plan->currency);
        return 1;
    }
    say_unit(&w, mpi_tr(lang, "percentage point"), mpi_tr(lang, "each point more"));
    return 0.01;
}

void mpi_shadow_unit_in(const mpi_report *r, const mpi_report_row *o, mpi_lang lang, char *buf,
                        size_t n)
{
    char per[48], step[48];
    mpi_row_unit_words(r, o, lang, per, sizeof per, step, sizeof step);
    snprintf(buf, n, mpi_tr(lang, "%s per %s"), mpi_tr(lang, r->obj.unit), per);
}

/* The shadow price: the exact model's marginal of the bound (shadow.c), not
 * the LP's dual, whose chords make it a ratio of chord slopes. */
static void fill_shadow(const mpi_report *r, size_t i, mpi_report_row *o)
{
    int kind = r->sol->model.lp.rows[i].kind;
    double per_bound = r->sol->rows[i].shadow;
    o->shadow = NAN;
    if (kind == MPI_ROW_ORDER)
        return;
    /* the unit is named even after a MIP, which leaves no price */
    double unit =
        mpi_row_unit_words(r, o, MPI_LANG_EN, o->per, sizeof o->per, o->step, sizeof o->step);
    mpi_shadow_unit_in(r, o, MPI_LANG_EN, o->unit, sizeof o->unit);
    if (!isnan(per_bound))
        o->shadow = per_bound * unit;
}

/* The range as reported: in percentage points for a share or ROAS, with
 * the rows its ends name. */
static void fill_range(const mpi_report *r, const mpi_row_result *res, mpi_report_row *o)
{
    const mpi_expr *e = o->cons ? &o->cons->e : NULL;
    double unit = e && (e->measure == MPI_M_SHARE || e->measure == MPI_M_ROAS) ? 100 : 1;
    o->range_too_large = res->range.too_large;
    for (int k = 0; k < 2; k++) {
        int why = res->range.why[k]; /* NONE: never ranged (a what-if run's base) */
        o->range[k] = why != MPI_END_NONE ? res->range.end[k] * unit : NAN;
        o->range_why[k] = why;
        o->range_ceiling[k] = NAN;
        long other = res->range.row[k];
        o->range_lprow[k] = -1;
        if (why == MPI_END_CHANNEL_CAP || why == MPI_END_CURVE_END || why == MPI_END_BID_CEILING) {
            o->range_channel[k] = r->plan->ch[other].name;
            o->range_group[k] =
                res->range.group[k] >= 0 ? r->plan->groups.v[res->range.group[k]] : NULL;
            o->range_ceiling[k] = why == MPI_END_BID_CEILING ? res->range.ceiling[k] : NAN;
            continue;
        }
        if (why != MPI_END_BINDS && why != MPI_END_TAKES_OVER && why != MPI_END_RELEASES)
            continue;
        const mpi_row *row = &r->sol->model.lp.rows[other];
        o->range_row[k] =
            row->kind == MPI_ROW_CONSTRAINT ? r->plan->cons[row->ref].name : row->name;
        o->range_lprow[k] = other;
        mpi_range_row_name(r->sol, other, MPI_LANG_EN, o->range_phrase[k],
                           sizeof o->range_phrase[k]);
    }
}

/* The row as reported; reach links are not. */
static void fill_row(const mpi_report *r, size_t i, mpi_report_row *o)
{
    const mpi_row *row = &r->sol->model.lp.rows[i];
    const mpi_row_result *res = &r->sol->rows[i];
    o->kind = row->kind;
    o->ref = row->ref;
    o->cons = row->kind == MPI_ROW_CONSTRAINT ? &r->plan->cons[row->ref] : NULL;
    o->name = o->cons ? o->cons->name : row->name;
    /* an implicit row's label is "name: what it says" */
    o->expr = o->cons ? o->cons->text : strchr(row->label, ':') + 2;
    o->op = mpi_op_str(row->op);
    o->value = res->value;
    o->bound = res->bound;
    o->binding = res->binding; /* 2: a booked plan one unit from breaking it */
    o->dual = res->dual;
    o->price = res->price;
    o->lp_rhs = row->rhs;
    fill_shadow(r, i, o);
    fill_range(r, res, o);
}

static mp_status fill_rows(mpi_report *r)
{
    const mpi_lp *lp = &r->sol->model.lp;
    size_t n = 0;
    for (size_t i = 0; r->solved && i < lp->nrows; i++)
        n += !mpi_row_internal(lp->rows[i].kind);
    r->row = mpi_calloc(n ? n : 1, sizeof *r->row);
    if (!r->row)
        return mpi_nomem();
    for (size_t i = 0; r->solved && i < lp->nrows; i++)
        if (!mpi_row_internal(lp->rows[i].kind))
            fill_row(r, i, &r->row[r->nrows++]);
    return MP_OK;
}

/* The arrays sized by the plan. */
static mp_status alloc_view(mpi_report *r)
{
    r->nch = r->plan->nch;
    r->nfamilies = mpi_media_family_count();
    r->nmedia = mpi_media_count();
    r->nperiods = (size_t)r->plan->periods;
    r->ch = mpi_calloc(r->nch ? r->nch : 1, sizeof *r->ch);
    r->media = mpi_calloc(r->nmedia, sizeof *r->media);
    r->period = mpi_calloc(r->nperiods ? r->nperiods : 1, sizeof *r->period);
    return r->ch && r->media && r->period ? MP_OK : mpi_nomem();
}

mp_status mpi_report_build(const mp_solution *sol, mpi_report **out)
{
    *out = NULL;
    mpi_report *r = mpi_calloc(1, sizeof *r);
    if (!r)
        return mpi_nomem();
    r->sol = sol;
    r->plan = sol->plan;
    r->solved = sol->result == MP_RESULT_OPTIMAL || sol->result == MP_RESULT_TIME_LIMIT;
    fill_labels(r);
    fill_totals(r);
    fill_measured(r);
    mp_status st = alloc_view(r);
    for (size_t c = 0; st == MP_OK && c < r->nch; c++)
        fill_channel(r, c, &r->ch[c]);
    if (st == MP_OK) {
        fill_media(r);
        fill_periods(r);
        st = fill_groups(r);
    }
    if (st == MP_OK)
        st = fill_rows(r);
    if (st == MP_OK)
        st = mpi_report_tails(r);
    if (st == MP_OK)
        mpi_report_limits(r);
    if (st != MP_OK) {
        mpi_report_free(r);
        return st;
    }
    *out = r;
    return MP_OK;
}

void mpi_report_free(mpi_report *r)
{
    if (!r)
        return;
    free(r->ch);
    free(r->media);
    free(r->period);
    free(r->group);
    free(r->row);
    free(r);
}

const mpi_report *mpi_report_of(const mp_solution *sol)
{
    return sol ? sol->report : NULL;
}

double mpi_report_period_kpi(const mpi_report *r, size_t c, size_t t, int q)
{
    if (!r || !r->solved || c >= r->nch || t >= r->nperiods || q < 0 || q >= MPI_NKPI ||
        q == MPI_REACH)
        return NAN;
    return MPI_CP_KPI(r->sol, c, t, q);
}

size_t mpi_report_keyword_count(const mpi_report *r)
{
    return r && r->solved ? r->sol->nkw : 0;
}

const mpi_keyword *mpi_report_keyword(const mpi_report *r, size_t k, const mpi_kw_result **res)
{
    if (k >= mpi_report_keyword_count(r))
        return NULL;
    const mpi_kw_result *kr = &r->sol->kw[k];
    const mpi_channel *ch = &r->plan->ch[kr->channel];
    if (res)
        *res = kr;
    return ch->ops->keyword(ch->params, kr->keyword);
}

const char *mpi_report_keyword_channel(const mpi_report *r, size_t k)
{
    return k < mpi_report_keyword_count(r) ? r->plan->ch[r->sol->kw[k].channel].name : NULL;
}

/* ---- what-if runs ------------------------------------------------------------ */

/* Scenario s against the base plan b (NULL: the base has no plan). */
static void fill_scenario(const mp_whatif *w, const mpi_scen *s, const mpi_report *b,
                          mpi_report_scenario *o)
{
    size_t nch = w->plan->nch, nmedia = mpi_media_count();
    o->s = s;
    o->status = mpi_result_str(s->result);
    o->solved = mpi_scen_solved(s);
    int both = o->solved && b;
    double total = s->kpi[MPI_SPEND];
    for (size_t c = 0; c < nch; c++) {
        o->share[c] = o->solved ? share(s->spend[c], total) : NAN;
        o->delta_spend[c] = both ? s->spend[c] - b->ch[c].spend : NAN;
    }
    for (size_t m = 0; m < nmedia; m++) {
        o->media_share[m] = o->solved ? share(s->media[m], total) : NAN;
        o->delta_media[m] = both ? s->media[m] - b->media[m].spend : NAN;
    }
    o->delta_objective = both ? s->objective - b->objective : NAN;
    o->change = both ? (b->objective != 0 ? s->objective / b->objective - 1 : 0) : NAN;
}

mp_status mpi_whatif_report_build(const mp_whatif *w, mpi_whatif_report *out)
{
    memset(out, 0, sizeof *out);
    out->base = mpi_report_of(w->base);
    if (!out->base)
        return mpi_fail(MP_ERR_INTERNAL, N_("the base plan has no report view"));
    out->n = w->ns;
    out->nch = w->plan->nch;
    out->nmedia = mpi_media_count();
    size_t per = 4 * out->nch + 2 * out->nmedia;
    out->scen = mpi_calloc(out->n ? out->n : 1, sizeof *out->scen);
    out->store = mpi_calloc(out->n * per + 1, sizeof(double));
    if (!out->scen || !out->store) {
        mpi_whatif_report_free(out);
        return mpi_nomem();
    }
    const mpi_report *b = out->base->solved ? out->base : NULL;
    for (size_t i = 0; i < out->n; i++) {
        mpi_report_scenario *o = &out->scen[i];
        double *p = out->store + i * per;
        o->share = p;
        o->delta_spend = p + out->nch;
        o->media_share = p + 2 * out->nch;
        o->delta_media = p + 2 * out->nch + out->nmedia;
        o->cpc = o->delta_media + out->nmedia;
        o->ch_cpa = o->cpc + out->nch;
        fill_scenario(w, &w->s[i], b, o);
        mpi_scenario_buys(w, b, o);
    }
    return MP_OK;
}

void mpi_whatif_report_free(mpi_whatif_report *r)
{
    if (!r)
        return;
    free(r->scen);
    free(r->store);
    memset(r, 0, sizeof *r);
}

double mpi_report_marginal(const mpi_report *r, size_t c)
{
    return r->eff_marginal_k > 0 ? r->ch[c].eff_marginal : r->ch[c].marginal;
}
