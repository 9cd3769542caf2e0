/* Robyn model exports: the JSON that Robyn's robyn_write() writes (R package
 * Robyn, R/R/json.R), read through the JSON adapter. One paid-media channel
 * is read: its hill alpha and gamma and its geometric theta
 * (ExportedModel.hyper_values, named <channel>_alphas, _gammas, _thetas as
 * Robyn's hyper_names() builds them, R/R/inputs.R), its coefficient
 * (ExportedModel.summary, the row whose variable is the channel), and the
 * inputs that rebuild the curve: the data interval, the modelling window,
 * the date column and what the dependent variable counts (InputCollect).
 *
 * jsonlite writes R's scalars as arrays of one value ("adstock":
 * ["geometric"]) and data frames as arrays of row objects; both are read,
 * and so are plain scalars and column objects. */
#include "adapters.h"
#include "json.h"

#include <stdlib.h>
#include <string.h>

#define HINT N_("write the model with robyn_write(InputCollect, OutputCollect, select_model)")

static mp_status missing(const char *path, const char *field)
{
    mpi_loc loc = {path, 0, NULL};
    return mpi_fail_at(MP_ERR_INPUT, &loc,
                       N_("no %s in the export, or not in the form Robyn writes; %s"), field,
                       mpi_tr(mpi_msg_lang(), HINT));
}

/* A string of the export, copied into *out (NULL when absent and optional). */
static mp_status get_str(const char *path, const mpi_jval *obj, const char *section,
                         const char *key, int required, char **out)
{
    const char *s = mpi_jval_str(mpi_jval_get(obj, key));
    if (!s) {
        if (!required)
            return MP_OK;
        char field[128];
        snprintf(field, sizeof field, "%s.%s", section, key);
        return missing(path, field);
    }
    *out = mpi_strdup(s);
    return *out ? MP_OK : mpi_nomem();
}

/* The hyperparameter <channel>_<name> of the exported solution. */
static mp_status get_hyper(const char *path, const mpi_jval *hyper, const char *channel,
                           const char *name, double *v)
{
    char key[320];
    snprintf(key, sizeof key, "%s_%s", channel, name);
    if (mpi_jval_num(mpi_jval_get(hyper, key), v) == 0)
        return MP_OK;
    char field[360];
    snprintf(field, sizeof field, "ExportedModel.hyper_values.%s", key);
    return missing(path, field);
}

/* The channel's coefficient in ExportedModel.summary: rows {variable, coef}
 * (jsonlite's data frame), or columns {variable: [...], coef: [...]}. */
static mp_status get_coef(const char *path, const mpi_jval *model, const char *channel,
                          double *coef)
{
    const mpi_jval *sum = mpi_jval_get(model, "summary");
    const mpi_jval *vars = mpi_jval_get(sum, "variable");
    const mpi_jval *coefs = mpi_jval_get(sum, "coef");
    size_t n = vars ? mpi_jval_count(vars) : mpi_jval_count(sum);
    for (size_t i = 0; i < n; i++) {
        const mpi_jval *row = vars ? NULL : mpi_jval_at(sum, i);
        const char *name =
            mpi_jval_str(vars ? mpi_jval_at(vars, i) : mpi_jval_get(row, "variable"));
        if (!name || strcmp(name, channel) != 0)
            continue;
        if (mpi_jval_num(vars ? mpi_jval_at(coefs, i) : mpi_jval_get(row, "coef"), coef) == 0)
            return MP_OK;
        break;
    }
    char field[320];
    snprintf(field, sizeof field, "ExportedModel.summary coef of %s", channel);
    return missing(path, field);
}

/* The channel's place in InputCollect.paid_media_spends; a channel Robyn
 * modelled on an exposure (an older Robyn: its hyperparameters named after
 * paid_media_vars) is refused, its curve being on impressions, not money. */
static mp_status find_channel(const char *path, const mpi_jval *in, const mpi_jval *hyper,
                              const char *channel)
{
    const mpi_jval *spends = mpi_jval_get(in, "paid_media_spends");
    const mpi_jval *vars = mpi_jval_get(in, "paid_media_vars");
    size_t n = mpi_jval_count(spends);
    if (n == 0 && !mpi_jval_str(spends))
        return missing(path, "InputCollect.paid_media_spends");
    const char *names[64];
    size_t nn = 0;
    char list[512] = "";
    for (size_t i = 0; i < (n ? n : 1); i++) {
        const char *s = mpi_jval_str(n ? mpi_jval_at(spends, i) : spends);
        if (!s)
            continue;
        if (!strcmp(s, channel)) {
            char key[320];
            const char *var = mpi_jval_str(n ? mpi_jval_at(vars, i) : vars);
            snprintf(key, sizeof key, "%s_alphas", channel);
            if (var && strcmp(var, s) != 0 && !mpi_jval_get(hyper, key)) {
                mpi_loc loc = {path, 0, NULL};
                return mpi_fail_at(MP_ERR_INPUT, &loc,
                                   N_("Robyn modelled channel \"%s\" on its exposure %s "
                                      "(InputCollect.paid_media_vars), not on spend: its curve "
                                      "is not in money; refit with a Robyn that models spend "
                                      "(its hyperparameters named after paid_media_spends)"),
                                   channel, var);
            }
            return MP_OK;
        }
        if (nn < sizeof names / sizeof *names)
            names[nn++] = s;
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", s);
    }
    const char *hint = mpi_suggest(channel, names, nn);
    mpi_loc loc = {path, 0, NULL};
    return mpi_fail_at(MP_ERR_INPUT, &loc,
                       N_("no channel \"%s\" in InputCollect.paid_media_spends (%s)%s%s%s"),
                       channel, list, hint ? mpi_tr(mpi_msg_lang(), N_(" (did you mean ")) : "",
                       hint ? hint : "", hint ? mpi_tr(mpi_msg_lang(), N_("?)")) : "");
}

/* Geometric adstock only: a Weibull decay (weibull_cdf, weibull_pdf) is a
 * different carryover from the one the plan's LP models. */
static mp_status check_adstock(const char *path, const mpi_jval *in)
{
    const char *a = mpi_jval_str(mpi_jval_get(in, "adstock"));
    if (!a)
        return missing(path, "InputCollect.adstock");
    if (!strcmp(a, "geometric"))
        return MP_OK;
    mpi_loc loc = {path, 0, NULL};
    return mpi_fail_at(MP_ERR_INPUT, &loc,
                       N_("InputCollect.adstock is \"%s\": mixplan carries over geometrically "
                          "(a_t = x_t + theta a_{t-1}), which a Weibull decay is not; refit with "
                          "adstock = \"geometric\", or give the channel's curve and adstock "
                          "in the plan"),
                       a);
}

static mp_status read_inputs(const char *path, const mpi_jval *in, mpi_robyn *out)
{
    mp_status st = get_str(path, in, "InputCollect", "intervalType", 1, &out->interval);
    if (st == MP_OK)
        st = get_str(path, in, "InputCollect", "date_var", 1, &out->date_var);
    if (st == MP_OK)
        st = get_str(path, in, "InputCollect", "dep_var_type", 1, &out->dep_var_type);
    if (st == MP_OK)
        st = get_str(path, in, "InputCollect", "window_start", 1, &out->window_start);
    if (st == MP_OK)
        st = get_str(path, in, "InputCollect", "window_end", 1, &out->window_end);
    if (st == MP_OK)
        st = get_str(path, in, "InputCollect", "version", 0, &out->version);
    return st;
}

static mp_status read_channel(const char *path, const mpi_jval *root, const char *channel,
                              mpi_robyn *out)
{
    const mpi_jval *in = mpi_jval_get(root, "InputCollect");
    const mpi_jval *model = mpi_jval_get(root, "ExportedModel");
    const mpi_jval *hyper = mpi_jval_get(model, "hyper_values");
    if (!in)
        return missing(path, "InputCollect");
    if (!model)
        return missing(path, "ExportedModel");
    if (!hyper)
        return missing(path, "ExportedModel.hyper_values");
    mp_status st = check_adstock(path, in);
    if (st == MP_OK)
        st = find_channel(path, in, hyper, channel);
    if (st == MP_OK)
        st = read_inputs(path, in, out);
    if (st == MP_OK)
        st = get_str(path, model, "ExportedModel", "select_model", 0, &out->model);
    if (st == MP_OK)
        st = get_hyper(path, hyper, channel, "alphas", &out->alpha);
    if (st == MP_OK)
        st = get_hyper(path, hyper, channel, "gammas", &out->gamma);
    if (st == MP_OK)
        st = get_hyper(path, hyper, channel, "thetas", &out->theta);
    if (st == MP_OK)
        st = get_coef(path, model, channel, &out->coef);
    return st;
}

mp_status mpi_robyn_load(const char *path, const char *channel, mpi_robyn *out)
{
    memset(out, 0, sizeof *out);
    mpi_jdoc *doc;
    mp_status st = mpi_jdoc_read(path, &doc);
    if (st != MP_OK)
        return st;
    st = read_channel(path, mpi_jdoc_root(doc), channel, out);
    mpi_jdoc_free(doc);
    if (st != MP_OK)
        mpi_robyn_free(out);
    return st;
}
