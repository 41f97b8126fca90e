/* voice: spoken prompts for the main steps (DESIGN.md §9), switchable in config ([kiosk]
 * voice = on). espeak-ng speaks through SDL audio: Mandarin with the cmn-latn-pinyin voice
 * from the pinyin of assets/voice/prompts.ini (espeak's cmn voice reads characters with wrong
 * tones), English with the en voice from the catalog's own text. Queue numbers are read out
 * digit by digit (A012: "A ling2 yi1 er4"). Synthesis runs on a thread of its own; a kiosk
 * without an audio device goes on silently (logged once). */
#ifndef UI_VOICE_H
#define UI_VOICE_H

#include <stddef.h>

struct voice;

/* prompts_file: assets/voice/prompts.ini. NULL when the voice cannot start (logged). */
struct voice *voice_create(const char *prompts_file);
void voice_destroy(struct voice *v);
/* Says a prompt: zh-CN from the pinyin file, en from text (the catalog's). number, when not
 * NULL, is read after it digit by digit. Replaces what was still waiting to be said. */
void voice_say(struct voice *v, const char *lang, const char *key, const char *text,
               const char *number);
/* Says a prompt whose text holds numbers in its places: each "{name}" of the prompt (the zh-CN
 * pinyin, or the catalog's en text) becomes the value of that name in args (name, value pairs,
 * NULL-terminated) read out digit by digit: the waiting room's "请 A001 号到 3 号窗口办理". */
void voice_say_numbers(struct voice *v, const char *lang, const char *key, const char *text,
                       const char *const *args);
/* A call in the waiting room: a chime, then key's Mandarin prompt with each {name} of args
 * spelled digit by digit, then (text_en not NULL) the same in English, as one announcement. */
void voice_call(struct voice *v, const char *key, const char *text_en, const char *const *args);
/* Samples spoken so far (tests, logs). */
long voice_samples(const struct voice *v);
/* A queue number as pinyin, digit by digit: "A012" -> "A ling2 yi1 er4". */
void voice_number_pinyin(const char *number, char *out, size_t cap);

#endif
