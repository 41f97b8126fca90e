/* bench_redraw: how long a full 1920x1080 redraw takes with the software renderer.
 *
 *   bench_redraw CONFIG [FRAMES]
 *
 * Draws the home and the guide screens FRAMES times each (default 200) through the same code
 * as the kiosk (ui_begin_frame, app_draw, ui_end_frame) on the offscreen video driver and
 * prints one line per screen: the first (cold: fonts opened, text rendered) and the median,
 * 95th percentile and maximum of the warm frames, in milliseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "clock.h"
#include "config.h"
#include "log.h"
#include "screens.h"
#include "ui.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double frame(struct app *a) {
    double t0 = now_ms();
    ui_invalidate(a->ui);
    ui_begin_frame(a->ui);
    app_draw(a);
    ui_end_frame(a->ui);
    return now_ms() - t0;
}

static void measure(struct app *a, const char *name, int frames) {
    double *t = calloc((size_t)frames, sizeof *t);
    double cold = frame(a);
    for (int i = 0; i < frames; i++)
        t[i] = frame(a);
    qsort(t, (size_t)frames, sizeof *t, cmp);
    printf("%-8s %8.2f %8.2f %8.2f %8.2f\n", name, cold, t[frames / 2], t[frames * 95 / 100],
           t[frames - 1]);
    free(t);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_redraw CONFIG [FRAMES]\n");
        return 2;
    }
    int frames = argc > 2 ? atoi(argv[2]) : 200;
    if (frames < 10)
        frames = 10;
    log_init("bench_redraw", LOG_WARN);
    struct kiosk_config cfg;
    config_defaults(&cfg, "", "");
    char err[512];
    if (config_load(&cfg, argv[1], err, sizeof err) != 0) {
        fprintf(stderr, "bench_redraw: %s\n", err);
        return 2;
    }
    struct i18n i18n;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/i18n", cfg.assets_dir);
    static const char *const langs[] = {"zh-CN", "en", NULL};
    if (i18n_load(&i18n, dir, langs) != 0)
        return 1;
    struct ui_options uo = {.headless = true,
                            .software = true,
                            .fonts_file = cfg.fonts_file,
                            .text_cache_bytes = cfg.text_cache_kib * 1024,
                            .theme = cfg.theme,
                            .i18n = &i18n};
    struct ui *ui = ui_create(&uo);
    if (!ui)
        return 1;
    struct app a;
    static const struct app_screens screens = {&screen_home, &screen_out_of_service,
                                               &screen_unavailable};
    if (app_init(&a, &cfg, ui, &i18n, clock_system(), "/tmp", &screens) != 0)
        return 1;
    printf("%-8s %8s %8s %8s %8s   (ms per full 1920x1080 frame, %d frames)\n", "screen", "cold",
           "median", "p95", "max", frames);
    measure(&a, "home", frames);
    app_push(&a, &screen_guide);
    measure(&a, "guide", frames);
    app_fini(&a);
    ui_destroy(ui);
    i18n_free(&i18n);
    return 0;
}
