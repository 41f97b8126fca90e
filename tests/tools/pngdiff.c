/* pngdiff: compares a screenshot with its reference, with a tolerance.
 *
 *   pngdiff ACTUAL.png REFERENCE.png [MAX_PERCENT] [DIFF.png]
 *
 * A pixel differs when one of its channels differs by more than 48 (anti-aliasing and hinting
 * move edges by a shade; a missing word or a moved button changes thousands of pixels).
 * Exit 0 when at most MAX_PERCENT (default 0.5) of the pixels differ, 1 when more do or the
 * sizes differ, 2 on a read error. Prints the figures either way; DIFF.png, when given, shows
 * the differing pixels in red over a faded copy of the reference. */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>

static SDL_Surface *load(const char *path) {
    SDL_Surface *s = IMG_Load(path);
    if (!s) {
        fprintf(stderr, "pngdiff: cannot read %s: %s\n", path, IMG_GetError());
        return NULL;
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(s);
    return c;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: pngdiff ACTUAL.png REFERENCE.png [MAX_PERCENT] [DIFF.png]\n");
        return 2;
    }
    double max_pct = argc > 3 ? strtod(argv[3], NULL) : 0.5;
    SDL_Surface *a = load(argv[1]), *b = load(argv[2]);
    if (!a || !b)
        return 2;
    if (a->w != b->w || a->h != b->h) {
        printf("pngdiff: %s is %dx%d, %s is %dx%d\n", argv[1], a->w, a->h, argv[2], b->w, b->h);
        return 1;
    }
    long differ = 0, total = (long)a->w * a->h;
    for (int y = 0; y < a->h; y++) {
        Uint8 *pa = (Uint8 *)a->pixels + y * a->pitch;
        Uint8 *pb = (Uint8 *)b->pixels + y * b->pitch;
        for (int x = 0; x < a->w; x++, pa += 4, pb += 4) {
            int d = 0;
            for (int k = 0; k < 3; k++) {
                int v = abs(pa[k] - pb[k]);
                d = v > d ? v : d;
            }
            if (d > 48) {
                differ++;
                pb[0] = 255, pb[1] = 0, pb[2] = 0;
            } else {
                pb[0] = (Uint8)(pb[0] / 4 + 191), pb[1] = (Uint8)(pb[1] / 4 + 191),
                pb[2] = (Uint8)(pb[2] / 4 + 191);
            }
        }
    }
    double pct = 100.0 * (double)differ / (double)total;
    int bad = pct > max_pct;
    printf("pngdiff: %s: %ld of %ld pixels differ (%.3f %%, limit %.3f %%): %s\n", argv[1], differ,
           total, pct, max_pct, bad ? "DIFFERENT" : "same");
    if (argc > 4 && differ)
        IMG_SavePNG(b, argv[4]);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    return bad;
}
