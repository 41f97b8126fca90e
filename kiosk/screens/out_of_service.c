/* out_of_service: shown when the kiosk cannot serve (its content is missing or damaged, the
 * registry locked it, a device it needs is gone, an update is being applied). It tells the
 * citizen where to go instead and offers nothing to press. */
#include "screens.h"

struct oos {
    struct ui_layer layer;
};

/* Nothing for citizens to press; the hidden staff entry (as on home) lets staff in, e.g. to
 * resume service. */
static void oos_layout(struct app *a, void *st) {
    struct ui_layer *l = &((struct oos *)st)->layer;
    ui_layer_clear(l);
    chrome_staff_corner(a, l, chrome_header_height(a));
}

static void oos_draw(struct app *a, void *st) {
    (void)st;
    const struct ui_theme *t = ui_theme(a->ui);
    chrome_header_draw(a, app_office_name(a));
    int cy = UI_H / 2 - 40; /* the mark clear of the header, the text about the middle */
    ui_fill_round(a->ui, (struct ui_rect){UI_W / 2 - 90, cy - 270, 180, 180}, 90, t->primary);
    ui_text(a->ui, UI_FONT_HUGE, true, t->primary_text, "!", UI_W / 2, cy - 180, UI_CENTER,
            UI_MIDDLE);
    ui_text(a->ui, UI_FONT_TITLE, true, t->text, app_tr(a, "oos.title"), UI_W / 2, cy, UI_CENTER,
            UI_TOP);
    int y = cy + ui_line_height(a->ui, UI_FONT_TITLE) + t->pad;
    y += ui_text_box(a->ui, UI_FONT_HEADING, false, t->text, app_tr(a, "oos.message"),
                     (struct ui_rect){t->pad * 4, y, UI_W - t->pad * 8, 300}, UI_CENTER, UI_TOP);
    if (a->oos_reason_key[0])
        ui_text_box(a->ui, UI_FONT_BODY, false, t->muted, app_tr(a, a->oos_reason_key),
                    (struct ui_rect){t->pad * 4, y + t->pad, UI_W - t->pad * 8, 200}, UI_CENTER,
                    UI_TOP);
}

static int oos_layers(struct app *a, void *st, struct ui_layer **out, int max) {
    (void)a;
    return screen_one_layer(&((struct oos *)st)->layer, out, max);
}

const struct screen_ops screen_out_of_service = {
    .id = "out_of_service",
    .state_size = sizeof(struct oos),
    .citizen = false,
    .layout = oos_layout,
    .draw = oos_draw,
    .layers = oos_layers,
};
