/** One high-accuracy position from the browser, as a promise with a reason when there is none. */

export interface Fix {
  latitude: number;
  longitude: number;
  accuracy: number;
  /** The fix's own time (ms since the epoch, the phone's clock): sent as position_timestamp. */
  timestamp: number;
}

export type FixProblem = "denied" | "unavailable" | "timeout" | "unsupported";

export class NoFix extends Error {
  constructor(readonly problem: FixProblem) {
    super(problem);
  }
}

export function currentPosition(timeoutMs = 20_000): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) {
      reject(new NoFix("unsupported"));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ latitude: pos.coords.latitude, longitude: pos.coords.longitude, accuracy: pos.coords.accuracy,
        timestamp: pos.timestamp || Date.now() }),
      (err) => reject(new NoFix(err.code === err.PERMISSION_DENIED ? "denied" : err.code === err.TIMEOUT ? "timeout" : "unavailable")),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 0 },
    );
  });
}
