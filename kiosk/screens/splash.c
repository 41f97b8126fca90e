/* splash: the plain branded screen of the kiosk session (packaging/kiosk-session). It runs as
 * a client of its own under the kiosk, so that while the kiosk restarts (a crash, an update, a
 * content swap) cage shows this, never a desktop or a terminal. Nothing on it can be pressed;
 * it draws once and then only again when the compositor asks (a new size, a rotation). */
#include <stdio.h>
#include <stdlib.h>

#include "screens.h"

static void splash_draw(struct ui *ui, const char *office) {
    const struct ui_theme *t = ui_theme(ui);
    ui_begin_frame(ui);
    ui_fill(ui, (struct ui_rect){0, 0, UI_W, UI_H}, t->header_bg);
    int cy = UI_H / 2;
    ui_text(ui, UI_FONT_HUGE, true, t->header_text, ui_tr(ui, "app.title"), UI_W / 2, cy - 40,
            UI_CENTER, UI_BOTTOM);
    if (office && office[0])
        ui_text(ui, UI_FONT_HEADING, false, t->header_text, office, UI_W / 2, cy + 10, UI_CENTER,
                UI_TOP);
    ui_text(ui, UI_FONT_BODY, false, t->header_text, ui_tr(ui, "splash.starting"), UI_W / 2,
            cy + 10 + ui_line_height(ui, UI_FONT_HEADING) + t->pad * 2, UI_CENTER, UI_TOP);
    ui_end_frame(ui);
}

int screen_splash_run(struct ui *ui, const char *office, const char *shot) {
    bool quit = false;
    splash_draw(ui, office);
    if (shot)
        return ui_save_png(ui, shot) == 0 ? 0 : 1;
    /* on screen: the session starts the kiosk only now, so that the kiosk's window comes
     * after this one and is the one cage shows (a splash mapped later covered the kiosk) */
    const char *ready = getenv("KIOSK_SPLASH_READY");
    if (ready && ready[0]) {
        FILE *f = fopen(ready, "w");
        if (f)
            fclose(f);
    }
    while (!quit) {
        struct ui_event ev;
        ui_wait_event(ui, -1, &ev, &quit);
        if (ui_needs_redraw(ui))
            splash_draw(ui, office);
    }
    return 0;
}
