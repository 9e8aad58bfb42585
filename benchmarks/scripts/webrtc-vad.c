/*
 * Runs WebRTC's voice activity detector (libwebrtc-audio-processing, Debian package
 * libwebrtc-audio-processing-dev) over a raw 16-bit little-endian mono file, 10 ms frames,
 * and prints one character per frame: 1 = speech, 0 = not. Built and used by webrtc-vad.sh.
 *
 *   webrtc-vad FILE RATE MODE      (MODE 0..3: WebRTC's aggressiveness; 3 is the most aggressive)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct WebRtcVadInst VadInst;
VadInst* WebRtcVad_Create(void);
int WebRtcVad_Init(VadInst* handle);
int WebRtcVad_set_mode(VadInst* handle, int mode);
int WebRtcVad_Process(VadInst* handle, int fs, const int16_t* frame, size_t length);
void WebRtcVad_Free(VadInst* handle);

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: webrtc-vad FILE RATE MODE\n");
    return 2;
  }
  int rate = atoi(argv[2]);
  int mode = atoi(argv[3]);
  if (rate != 8000 && rate != 16000 && rate != 32000 && rate != 48000) {
    fprintf(stderr, "rate %d\n", rate);
    return 2;
  }
  FILE* in = fopen(argv[1], "rb");
  if (in == NULL) {
    perror(argv[1]);
    return 2;
  }
  VadInst* vad = WebRtcVad_Create();
  if (vad == NULL || WebRtcVad_Init(vad) != 0 || WebRtcVad_set_mode(vad, mode) != 0) {
    fprintf(stderr, "WebRTC VAD refused mode %d\n", mode);
    return 2;
  }
  size_t frame = (size_t) rate / 100;
  int16_t pcm[480]; /* 10 ms at 48 kHz; the files are little-endian, as is every machine this runs on */
  while (fread(pcm, sizeof(int16_t), frame, in) == frame) {
    int r = WebRtcVad_Process(vad, rate, pcm, frame);
    if (r < 0) {
      fprintf(stderr, "WebRTC VAD error\n");
      return 1;
    }
    putchar(r ? '1' : '0');
  }
  putchar('\n');
  WebRtcVad_Free(vad);
  fclose(in);
  return 0;
}
