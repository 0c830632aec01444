/**
 * Hebrew, written right to left. Counts take the forms `Intl.PluralRules` picks (one, two,
 * other): שנייה אחת, שתי שניות, 5 שניות. Digits stay Western (0-9), as the code the shopper types
 * does. A plain module that imports nothing at run time (the classic script loads it too).
 */
import type { KnownErrorCode, Messages } from './en.js';

type Forms = Partial<Record<Intl.LDMLPluralRule, (count: number) => string>> & { other: (count: number) => string };
const rules = new Intl.PluralRules('he');
const plural = (count: number, forms: Forms) => (forms[rules.select(count)] ?? forms.other)(count).replace(/(\d) /g, '$1\u00a0');

const errors = {
  bad_json: 'משהו השתבש בשליחת התשובה. נסו שוב.',
  invalid_body: 'לא הצלחנו לקרוא את התשובה. בדקו אותה ונסו שוב.',
  csrf_rejected: 'לא ניתן היה לאמת את הדף הזה. טענו מחדש את הדף ונסו שוב.',
  origin_rejected: 'לדף הזה אין הרשאה לאמת אתכם. טענו מחדש את הדף ונסו שוב.',
  not_found: 'אין לנו גישה לשירות האימות. נסו שוב מאוחר יותר.',
  method_not_allowed: 'אין לנו גישה לשירות האימות. נסו שוב מאוחר יותר.',
  action_mismatch: 'השלב הזה השתנה. טענו מחדש את הדף כדי להמשיך.',
  session_finished: 'האימות הזה כבר הסתיים.',
  payload_too_large: 'התשובה ארוכה מדי. בדקו אותה ונסו שוב.',
  unsupported_media_type: 'משהו השתבש בשליחת התשובה. נסו שוב.',
  session_unknown: 'לא מצאנו את האימות שלכם. התחילו מחדש.',
  wrong_code: 'הקוד הזה שגוי.',
  code_expired: 'תוקף הקוד פג. בקשו קוד חדש.',
  session_missing: 'לא מצאנו את סשן האימות שלכם. התחילו מחדש.',
  session_invalid: 'סשן האימות שלכם אינו תקף. התחילו מחדש.',
  session_expired: 'תוקף סשן האימות שלכם פג. התחילו מחדש.',
  too_many_attempts: 'יותר מדי קודים שגויים.',
  resend_too_soon: 'המתינו רגע לפני שתבקשו קוד נוסף.',
  resend_limit_reached: 'אי אפשר לבקש קודים נוספים.',
  send_limited: 'נשלחו יותר מדי הודעות לפרטים האלה. נסו שוב מאוחר יותר.',
  send_limited_network: 'הופעלו יותר מדי אימותים מהרשת הזו. נסו שוב מאוחר יותר.',
  internal_error: 'משהו השתבש אצלנו. נסו שוב.',
  body_consumed: 'משהו השתבש אצלנו. נסו שוב.',
  upstream_auth_failed: 'שירות האימות אינו זמין כרגע. נסו שוב מאוחר יותר.',
  upstream_error: 'בשירות האימות הייתה בעיה. נסו שוב.',
  upstream_invalid_response: 'בשירות האימות הייתה בעיה. נסו שוב.',
  upstream_unavailable: 'שירות האימות עמוס כרגע. נסו שוב בעוד רגע.',
  store_unavailable: 'שירות האימות עמוס כרגע. נסו שוב בעוד רגע.',
  upstream_timeout: 'שירות האימות התעכב יותר מדי. נסו שוב.',
  network_error: 'אין לנו גישה לשירות האימות. נסו שוב בעוד רגע.',
  offline: 'אין חיבור לאינטרנט. בדקו את החיבור ונסו שוב.',
  timeout: 'זה לוקח יותר מדי זמן. בדקו את החיבור ונסו שוב.',
  invalid_response: 'קיבלנו תשובה לא צפויה. נסו שוב.',
  aborted: 'הבקשה בוטלה.',
  wrong_answers: 'חלק מהתשובות שגויות.',
  quiz_expired: 'הזמן לשאלות האלה נגמר.',
  retry_not_allowed: 'אי אפשר לחזור על השלב הזה.',
  channel_unavailable: 'אי אפשר לשלוח בדרך הזו. בחרו דרך אחרת.',
} satisfies Record<KnownErrorCode, string>;

function duration(value: number): string {
  const total = Math.max(0, Math.ceil(value));
  const seconds = (count: number) => plural(count, { one: () => 'שנייה אחת', two: () => 'שתי שניות', other: (n) => `${n} שניות` });
  if (total < 60) return seconds(total);
  const minutes = plural(Math.floor(total / 60), { one: () => 'דקה אחת', two: () => 'שתי דקות', other: (n) => `${n} דקות` });
  return total % 60 === 0 ? minutes : `${minutes} ו־${seconds(total % 60)}`;
}

/** Attempts at a code and tries at the ID capture are the same word: ניסיון. */
const triesLeft = (count: number) => plural(count, { one: () => 'נותר ניסיון אחד.', two: () => 'נותרו שני ניסיונות.', other: (n) => `נותרו ${n} ניסיונות.` });

export const he: Messages = {
  flowLoading: 'טוענים את האימות…',
  flowStartAgain: 'להתחיל מחדש',
  flowStep: (index, total) => `שלב ${index} מתוך ${total}`,
  flowDecisionTitle: {
    ALLOW: 'האימות הושלם',
    BLOCK: 'לא הצלחנו לאמת אתכם',
    REVIEW: 'תודה, אנחנו בודקים',
  },
  flowDecisionBody: {
    ALLOW: 'תודה שאישרתם שזה אתם. אפשר להמשיך.',
    BLOCK: 'לא הצלחנו לאשר את זהותכם, ולכן לא נוכל להמשיך הפעם.',
    REVIEW: 'אנחנו צריכים עוד קצת זמן כדי לבדוק את הפרטים. ניצור איתכם קשר.',
  },
  flowUnsupported: (name) => `שלב האימות הזה (${name}) אינו זמין כאן. פנו לתמיכה.`,
  flowUnavailable: 'לא הצלחנו להשלים את הבדיקה הזו כאן. נסו שוב בעוד כמה דקות.',
  retry: 'לנסות שוב',

  errorMessage: (code) => (Object.hasOwn(errors, code) ? errors[code as KnownErrorCode] : 'משהו השתבש. נסו שוב.'),

  duration,

  attemptsLeft: (count) => triesLeft(count),

  otpLabel: 'קוד אימות',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `שלחנו קוד בן ${codeLength} ספרות בדוא״ל אל ${destination}.`
      : `שלחנו קוד בן ${codeLength} ספרות אל ${destination}.`,
  otpHint: (codeLength) => `הזינו את הקוד בן ${codeLength} הספרות.`,
  otpVerify: 'אימות',
  otpVerifying: 'מאמתים…',
  otpExpiresIn: (seconds) => `תוקף הקוד יפוג בעוד ${duration(seconds)}.`,
  otpResend: 'שליחת קוד חדש',
  otpResendIn: (seconds) => `אפשר לבקש קוד חדש בעוד ${duration(seconds)}.`,
  resendsLeft: (count) =>
    plural(count, { one: () => 'אפשר לבקש עוד קוד חדש אחד.', two: () => 'אפשר לבקש עוד שני קודים חדשים.', other: (n) => `אפשר לבקש עוד ${n} קודים חדשים.` }),
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `שלחנו קוד חדש בן ${codeLength} ספרות בדוא״ל אל ${destination}.`
      : `שלחנו קוד חדש בן ${codeLength} ספרות אל ${destination}.`,
  otpOnlyNewest: 'רק הקוד החדש ביותר תקף.',
  otpResendSending: 'שולחים קוד חדש…',
  otpNoResendsLeft: 'אי אפשר לבקש קודים נוספים. השתמשו בקוד האחרון ששלחנו.',
  otpLockedWait: (seconds) => `אפשר לנסות שוב בעוד ${duration(seconds)}.`,
  otpUnlocked: 'אפשר להזין קוד שוב.',
  otpOneMoreLocks: 'קוד שגוי נוסף יחייב המתנה נוספת.',
  otpResendReady: 'עכשיו אפשר לבקש קוד חדש.',
  otpValueMissing: (codeLength) => `הזינו את הקוד בן ${codeLength} הספרות.`,
  otpTooShort: (codeLength) => `הזינו את כל ${codeLength} הספרות.`,
  otpPatternMismatch: 'השתמשו בספרות בלבד.',

  kbaQuestionOf: (index, total) => `שאלה ${index} מתוך ${total}`,
  kbaChooseAllThatApply: 'בחרו את כל התשובות המתאימות.',
  kbaBack: 'חזרה',
  kbaNext: 'הבא',
  kbaReviewAnswers: 'סקירת התשובות',
  kbaReviewTitle: 'בדקו את התשובות שלכם',
  kbaReviewHint: 'אפשר לשנות כל תשובה לפני השליחה.',
  kbaChange: 'שינוי',
  kbaNotAnswered: 'לא נענתה',
  kbaSubmit: 'שליחת התשובות',
  kbaSubmitting: 'שולחים…',
  kbaChooseOne: 'בחרו תשובה כדי להמשיך.',
  kbaChooseAtLeastOne: 'בחרו לפחות תשובה אחת כדי להמשיך.',
  kbaTimeLeft: (seconds) => `הזמן שנותר: \u2066${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}\u2069`,
  kbaTimeLeftAnnouncement: (seconds) => `נותרו ${duration(seconds)} לתשובה.`,
  kbaTimeUp: 'הזמן לשאלות האלה נגמר.',
  kbaNewQuestions: 'הנה שאלות חדשות.',
  kbaTooManyAttempts: 'יותר מדי ניסיונות.',
  kbaLockedWait: (seconds) => `יותר מדי ניסיונות. אפשר לנסות שוב בעוד ${duration(seconds)}.`,
  kbaUnlocked: 'אפשר לשלוח את התשובות שוב.',
  kbaAnswersKept: 'התשובות שלכם נשמרו.',

  othSentTo: (channel, destination) =>
    channel === 'EMAIL' ? `שלחנו קישור בדוא״ל אל ${destination}.` : `שלחנו קישור בהודעת SMS אל ${destination}.`,
  othInstructions: 'פתחו את הקישור בכל מכשיר כדי להמשיך.',
  othStatus: {
    MESSAGE_SENT: 'ממתינים שתפתחו את הקישור…',
    VERIFIED: 'הקישור אושר. מסיימים…',
    TERMINATED: 'הקישור הזה בוטל.',
    FAILED_AUTHORIZATION: 'לא הצלחנו לאשר באמצעות הקישור הזה שזה אתם.',
    VERIFICATION_ATTEMPT_FAILED: 'הקישור הזה לא עבד.',
    INVALID: 'הקישור הזה כבר אינו תקף.',
    UNKNOWN: 'בודקים את הקישור…',
  },
  othFailureHelp: (canResend) => (canResend ? 'שלחו קישור חדש כדי לנסות שוב.' : 'אי אפשר לשלוח קישורים נוספים. התחילו מחדש.'),
  othResend: 'שליחת קישור חדש',
  othResendSending: 'שולחים קישור חדש…',
  othResendIn: (seconds) => `אפשר לבקש קישור חדש בעוד ${duration(seconds)}.`,
  othResendSent: (channel, destination) =>
    channel === 'EMAIL'
      ? `שלחנו קישור חדש בדוא״ל אל ${destination}. רק הקישור החדש ביותר תקף.`
      : `שלחנו קישור חדש ב־SMS אל ${destination}. רק הקישור החדש ביותר תקף.`,
  othResendReady: 'עכשיו אפשר לבקש קישור חדש.',
  othNoResendsLeft: 'אי אפשר לבקש קישורים נוספים.',
  othLinksLeft: (count) =>
    plural(count, {
      one: () => 'אפשר לבקש עוד קישור חדש אחד.',
      two: () => 'אפשר לבקש עוד שני קישורים חדשים.',
      other: (n) => `אפשר לבקש עוד ${n} קישורים חדשים.`,
    }),
  othSendBy: (channel) => (channel === 'EMAIL' ? 'לשלוח בדוא״ל במקום' : 'לשלוח ב־SMS במקום'),
  othExpiresIn: (seconds) => `תוקף הקישור יפוג בעוד ${duration(seconds)}.`,
  othExpired: 'תוקף הקישור הזה פג.',
  othOffline: 'אין חיבור לאינטרנט. נבדוק שוב כשהחיבור יחזור.',
  othBackOnline: 'החיבור לאינטרנט חזר.',

  docvSmsSent: (destination) =>
    destination
      ? `שלחנו קישור ב־SMS אל ${destination}. פתחו אותו בטלפון כדי לצלם את תעודת הזהות.`
      : 'שלחנו קישור ב־SMS לטלפון שלכם. פתחו אותו כדי לצלם את תעודת הזהות.',
  docvScanQr: 'סרקו את הקוד הזה במצלמת הטלפון, ואז בצעו את השלבים כדי לצלם את תעודת הזהות.',
  docvQrLabel: 'קוד QR שפותח את בדיקת התעודה בטלפון שלכם',
  docvContinueHere: 'המשך במכשיר הזה',
  docvOpensInNewTab: '(נפתח בכרטיסייה חדשה)',
  docvLinkUnavailable: 'הקישור אינו זמין. נסו שוב מאוחר יותר.',
  docvStepsLabel: 'התקדמות',
  docvStepSent: (delivery) => (delivery === 'SMS' ? 'הקישור נשלח' : 'הקישור מוכן'),
  docvStepBegun: 'התחיל בטלפון שלכם',
  docvStepCaptured: 'התעודה צולמה',
  docvStepProcessing: 'בודקים את התעודה',
  docvStepDone: 'הושלם',
  docvStatus: {
    SENT: 'ממתינים שתפתחו את הקישור בטלפון.',
    BEGUN: 'פתחתם את הקישור. בצעו את השלבים בטלפון.',
    CAPTURED: 'קיבלנו את צילומי התעודה.',
    PROCESSING: 'בודקים את התעודה שלכם. זה עשוי להימשך דקה.',
    VERIFIED: 'בדקנו את התעודה שלכם.',
    FAILED: 'לא הצלחנו לאמת את התעודה שלכם.',
    NEEDS_RETRY: 'לא הצלחנו לקרוא את התעודה שלכם. נסו שוב עם צילום חד ומואר היטב.',
  },
  docvRetrying: 'מתחילים מחדש…',
  docvRetriesLeft: (count) => triesLeft(count),
  docvOffline: 'אין חיבור לאינטרנט. התצוגה תתעדכן כשהחיבור יחזור.',
  docvRetryIn: (seconds) => `אפשר לנסות שוב בעוד ${duration(seconds)}.`,
  docvRetryReady: 'עכשיו אפשר לנסות שוב.',
  docvStepFailed: 'לא עבר',
  docvResend: 'שלחו לי קישור חדש',
  docvResending: 'שולחים…',
  docvResendIn: (seconds) => `אפשר לבקש קישור חדש בעוד ${duration(seconds)}.`,
  docvResendReady: 'עכשיו אפשר לבקש קישור חדש.',
  docvResent: (destination) =>
    destination ? `שלחנו קישור חדש ב־SMS אל ${destination}. רק הקישור החדש ביותר תקף.` : 'שלחנו לכם קישור חדש. רק הקישור החדש ביותר תקף.',
};
