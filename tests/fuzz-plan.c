/*
 * fuzz-plan.c -- fuzz the plan JSON recircd reads back from the solver
 * (plan_result_read in plan-build.c): whatever a solver prints, broken or
 * hostile, must become a checked plan or a refusal with a reason, never a
 * crash of the daemon.  The input is checked against one fixed plan
 * input: two centres, two vehicle types, six pickups (one confirmed for a
 * day, one dispatched on a vehicle) and a previous plan.
 *
 * The seed corpus is recirc-solve's answers to this input's problem;
 * FUZZ_PLAN_PROBLEM=1 tests/fuzz-plan prints that problem and exits.
 */
#include "config.h"

#include "recircd.h"
#include "fuzz.h"

static const char fz_network[] =
    "{\"centres\":["
    "{\"id\":\"north\",\"name\":\"North\",\"lat\":51.47,\"lon\":-2.59,"
    "\"existing\":true,\"fixed_cost\":0,\"capacity_kg\":{\"repair\":300,"
    "\"reuse\":600,\"recycle\":2000,\"dispose\":3000},\"opening_hours\":"
    "{\"opens\":\"07:30\",\"closes\":\"17:30\"}},"
    "{\"id\":\"south\",\"name\":\"South\",\"lat\":51.42,\"lon\":-2.60,"
    "\"existing\":false,\"fixed_cost\":120,\"capacity_kg\":{\"repair\":50,"
    "\"reuse\":100,\"recycle\":400,\"dispose\":400}}],"
    "\"fleet\":["
    "{\"id\":\"van\",\"centre\":\"north\",\"count\":2,\"capacity\":{\"kg\":"
    "1000,\"m3\":12,\"items\":40},\"fixed_cost\":45,\"cost_per_km\":0.35,"
    "\"cost_per_hour\":24,\"shift_min\":480,\"max_stops\":25,"
    "\"co2_per_km\":0.24},"
    "{\"id\":\"bike\",\"centre\":\"south\",\"count\":1,\"capacity\":{\"kg\":"
    "80,\"m3\":1,\"items\":4},\"fixed_cost\":5,\"cost_per_km\":0.05,"
    "\"shift_min\":240,\"max_stops\":6}],"
    "\"processors\":[{\"id\":\"mrf\",\"stream\":\"recycle\",\"name\":\"MRF\","
    "\"cost_per_kg\":0.04}],"
    "\"rules\":[{\"category\":\"mattress\",\"condition\":\"*\",\"stream\":"
    "\"recycle\",\"value\":0.05}]}";

/* id, lat, lon, from, to, pin, pin centre, pin day, pin vehicle, items */
static const struct fz_pickup {
	int64_t		 id;
	double		 lat, lon;
	const char	*from, *to;
	int		 pin;
	const char	*centre, *day, *vehicle;
	const char	*items;
} fz_pickups[] = {
	{ 3, 51.443, -2.609, "2026-12-01", "2026-12-02", PIN_NONE, "", "",
	    "", "[{\"category\":\"table\",\"condition\":\"broken\","
	    "\"quantity\":1,\"weight_kg\":31.1,\"volume_m3\":0.53}]" },
	{ 5, 51.468, -2.573, "2026-12-01", "2026-12-01", PIN_NONE, "", "",
	    "", "[{\"category\":\"mattress\",\"condition\":\"working\","
	    "\"quantity\":1,\"weight_kg\":25.4,\"volume_m3\":0.58}]" },
	{ 8, 51.455, -2.590, "2026-11-28", "2026-12-03", PIN_CONFIRMED,
	    "north", "2026-12-02", "", "[{\"category\":\"sofa\",\"condition\":"
	    "\"repairable\",\"quantity\":2,\"weight_kg\":40,\"volume_m3\":1}]" },
	{ 9, 51.430, -2.601, "2026-12-01", "2026-12-02", PIN_DISPATCHED,
	    "north", "2026-12-01", "van-1", "[{\"category\":\"it_equipment\","
	    "\"condition\":\"working\",\"quantity\":3,\"weight_kg\":8,"
	    "\"volume_m3\":0.05}]" },
	{ 12, 51.421, -2.611, "2026-12-02", "2026-12-02", PIN_NONE, "", "",
	    "", "[{\"category\":\"small_appliance\",\"condition\":\"unknown\","
	    "\"quantity\":1,\"weight_kg\":4,\"volume_m3\":0.02}]" },
	{ 20, 51.410, -2.580, "2026-12-01", "2026-12-02", PIN_NONE, "", "",
	    "", "[]" },
};
#define FZ_NPK	(sizeof(fz_pickups) / sizeof(fz_pickups[0]))

static struct plan_input	*fz_in;
static struct rt_stop		*fz_stops;	/* fz_in->st as built */

static struct plan_input *
fz_input(void)
{
	struct plan_input	*in = xcalloc(1, sizeof(*in));
	struct api_error	 e;
	struct plan_pickup	*pk;
	json_t			*j;
	size_t			 i;

	if ((j = json_loads(fz_network, 0, NULL)) == NULL ||
	    network_seed_parse(j, &in->net, &e) == -1)
		abort();
	json_decref(j);
	in->id = 7;
	in->day0 = date_to_days("2026-12-01");
	in->ndays = 2;
	in->cat = catalogue_default();
	matrix_model_default(&in->model);
	in->previous = 6;
	in->pk = xcalloc(FZ_NPK, sizeof(*in->pk));
	in->npk = FZ_NPK;
	for (i = 0; i < FZ_NPK; i++) {
		pk = &in->pk[i];
		pk->id = fz_pickups[i].id;
		pk->lat = fz_pickups[i].lat;
		pk->lon = fz_pickups[i].lon;
		snprintf(pk->from, sizeof(pk->from), "%s", fz_pickups[i].from);
		snprintf(pk->to, sizeof(pk->to), "%s", fz_pickups[i].to);
		xasprintf(&pk->reference, "ref-%lld", (long long)pk->id);
		xasprintf(&pk->body, "{\"items\":%s,\"time_windows\":"
		    "[{\"start\":\"08:00\",\"end\":\"12:00\"}]}",
		    fz_pickups[i].items);
		pk->pin = fz_pickups[i].pin;
		snprintf(pk->pin_centre, sizeof(pk->pin_centre), "%s",
		    fz_pickups[i].centre);
		snprintf(pk->pin_day, sizeof(pk->pin_day), "%s",
		    fz_pickups[i].day);
		snprintf(pk->pin_vehicle, sizeof(pk->pin_vehicle), "%s",
		    fz_pickups[i].vehicle);
		pk->pin_seq = 1;
	}
	in->prev = xcalloc(3, sizeof(*in->prev));
	in->nprev = 3;
	in->prev[0] = (struct plan_prev){ 3, "2026-12-01", "van-2", 0, "" };
	in->prev[1] = (struct plan_prev){ 5, "", "", 1, "deferred" };
	in->prev[2] = (struct plan_prev){ 4, "2026-12-01", "van-1", 0, "" };
	return in;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	*problem, *cause = NULL;

	fz_in = fz_input();
	if ((problem = plan_problem_json(fz_in, &cause)) == NULL)
		abort();
	if (getenv("FUZZ_PLAN_PROBLEM") != NULL) {
		printf("%s\n", problem);
		exit(0);
	}
	free(problem);
	fz_stops = xcalloc(FZ_NPK, sizeof(*fz_stops));
	memcpy(fz_stops, fz_in->st, FZ_NPK * sizeof(*fz_stops));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan_output	 out;
	char			*cause = NULL;
	json_t			*j;
	size_t			 i;

	/* plan_result_read marks the stops: start each input afresh. */
	memcpy(fz_in->st, fz_stops, FZ_NPK * sizeof(*fz_stops));
	for (i = 0; i < fz_in->nreasons; i++)
		x_free(fz_in->reasons[i]);
	fz_in->nreasons = 0;
	if (plan_result_read(fz_in, (const char *)data, size, &out,
	    &cause) == -1) {
		/* The reason is stored and served as a JSON string. */
		if (cause == NULL || *cause == '\0' ||
		    !utf8_valid(cause, strlen(cause)))
			abort();
		free(cause);
		return 0;
	}
	/* So is each pickup's defer reason. */
	for (i = 0; i < FZ_NPK; i++)
		if (fz_in->st[i].deferred != NULL &&
		    !utf8_valid(fz_in->st[i].deferred,
		    strlen(fz_in->st[i].deferred)))
			abort();
	/* What is stored must be JSON (the API serves it as it is). */
	if (out.kpis == NULL || (j = json_loads(out.kpis, 0, NULL)) == NULL)
		abort();
	json_decref(j);
	if (out.changes == NULL ||
	    (j = json_loads(out.changes, 0, NULL)) == NULL)
		abort();
	json_decref(j);
	plan_output_clear(&out);
	return 0;
}
