// Generic depth of the 68 iBUG landmarks, in outer-eye-corner spans (ex-ex,
// ~90 mm on an adult), nose tip = 0, larger = closer to the camera. Rough
// adult proportions: eye corners 27 mm behind the nose tip, mouth corners
// 25 mm, chin 13 mm, the jaw line curving back to ~90 mm at its ends (near
// the ears). Only the pattern matters: which points lie in front of which.
// head-motion.ts asks whether a turn is explained by these depths (a head) or
// by a flat or bent sheet; the tests turn heads whose depths differ from
// these by ±30% and still pass.
const SPAN = 450; // the table below is in 0.2 mm units; eye span 450 = 90 mm

const JAW = Array.from({ length: 17 }, (_, k) => -65 - 385 * Math.abs((k - 8) / 8) ** 1.5);
const BROWS = [-200, -160, -130, -115, -110, -110, -115, -130, -160, -200];
const NOSE = [-110, -75, -35, 0, -75, -45, -30, -45, -75];
const EYES = [-135, -115, -110, -120, -110, -115, -120, -110, -115, -135, -115, -110];
const MOUTH = [-125, -95, -75, -70, -75, -95, -125, -100, -80, -75, -80, -100, -115, -85, -80, -85, -115, -85, -80, -85];

export const GENERIC_DEPTH: readonly number[] = [...JAW, ...BROWS, ...NOSE, ...EYES, ...MOUTH].map((z) => z / SPAN);
