/**
 * What the door hears and feels besides what it sees: a tone and a vibration per kind of result, so staff need not
 * look at the screen for every ticket. Browsers allow sound only after a user gesture: unlockSound() is called from
 * the page's buttons. Vibration exists on Android browsers, not on iPhones.
 */
const TONES = {
  valid: [{ frequency: 880, seconds: 0.12 }],
  used: [{ frequency: 520, seconds: 0.12 }, { frequency: 520, seconds: 0.12, after: 0.18 }],
  invalid: [{ frequency: 200, seconds: 0.45, wave: 'square' }],
};
const VIBRATIONS = { valid: [60], used: [60, 80, 60], invalid: [350] };
let audio = null;
let muted = localStorage.getItem('boxoffice.door.muted') === 'true';

export function unlockSound() {
  const AudioContextClass = window.AudioContext ?? window.webkitAudioContext;
  if (!AudioContextClass) return;
  audio ??= new AudioContextClass();
  if (audio.state === 'suspended') audio.resume().catch(() => {});
}

export function isMuted() {
  return muted;
}

export function setMuted(value) {
  muted = value;
  localStorage.setItem('boxoffice.door.muted', String(value));
}

/** Plays the tone and the vibration of a result kind ('valid', 'used', 'invalid'; 'error' counts as invalid). */
export function signal(kind) {
  const tones = TONES[kind] ?? TONES.invalid;
  navigator.vibrate?.(VIBRATIONS[kind] ?? VIBRATIONS.invalid);
  if (muted || !audio || audio.state !== 'running') return;
  for (const tone of tones) {
    const start = audio.currentTime + (tone.after ?? 0);
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = tone.wave ?? 'sine';
    oscillator.frequency.value = tone.frequency;
    gain.gain.setValueAtTime(0.25, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + tone.seconds);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + tone.seconds);
  }
}
