/**
 * Arabic, the built-in right-to-left locale. Arabic has six plural forms (zero, one, two, few,
 * many, other); `Intl.PluralRules` picks the form. Digits stay Western (0-9), as the code the
 * shopper types does.
 */
import type { KnownErrorCode, Messages } from './en.js';

type PluralForms = Record<Intl.LDMLPluralRule, (count: number) => string>;

const rules = new Intl.PluralRules('ar');
const plural = (count: number, forms: PluralForms) => forms[rules.select(count)](count).replace(/(\d) /g, '$1\u00a0');

const seconds: PluralForms = {
  zero: () => '0 ثانية',
  one: () => 'ثانية واحدة',
  two: () => 'ثانيتان',
  few: (n) => `${n} ثوانٍ`,
  many: (n) => `${n} ثانية`,
  other: (n) => `${n} ثانية`,
};
const minutes: PluralForms = {
  zero: () => '0 دقيقة',
  one: () => 'دقيقة واحدة',
  two: () => 'دقيقتان',
  few: (n) => `${n} دقائق`,
  many: (n) => `${n} دقيقة`,
  other: (n) => `${n} دقيقة`,
};
const attemptsLeft: PluralForms = {
  zero: () => 'لم تتبقَّ أي محاولة',
  one: () => 'تبقّت محاولة واحدة',
  two: () => 'تبقّت محاولتان',
  few: (n) => `تبقّت ${n} محاولات`,
  many: (n) => `تبقّت ${n} محاولة`,
  other: (n) => `تبقّت ${n} محاولة`,
};
const resendsLeft: PluralForms = {
  zero: () => 'لم يتبقَّ أي رمز جديد',
  one: () => 'يتبقّى رمز جديد واحد',
  two: () => 'يتبقّى رمزان جديدان',
  few: (n) => `تتبقّى ${n} رموز جديدة`,
  many: (n) => `يتبقّى ${n} رمزًا جديدًا`,
  other: (n) => `يتبقّى ${n} رمز جديد`,
};

const errors = {
  bad_json: 'حدث خطأ أثناء إرسال إجابتك. يُرجى المحاولة مرة أخرى.',
  invalid_body: 'تعذّرت قراءة إجابتك. تحقّق منها وحاول مرة أخرى.',
  csrf_rejected: 'تعذّر التحقق من هذه الصفحة. أعد تحميل الصفحة وحاول مرة أخرى.',
  origin_rejected: 'لا يُسمح لهذه الصفحة بالتحقق منك. أعد تحميل الصفحة وحاول مرة أخرى.',
  not_found: 'تعذّر الوصول إلى خدمة التحقق. يُرجى المحاولة لاحقًا.',
  method_not_allowed: 'تعذّر الوصول إلى خدمة التحقق. يُرجى المحاولة لاحقًا.',
  action_mismatch: 'تغيّرت هذه الخطوة. أعد تحميل الصفحة للمتابعة.',
  session_finished: 'انتهت عملية التحقق هذه بالفعل.',
  payload_too_large: 'إجابتك طويلة جدًا. تحقّق منها وحاول مرة أخرى.',
  unsupported_media_type: 'حدث خطأ أثناء إرسال إجابتك. يُرجى المحاولة مرة أخرى.',
  session_unknown: 'لم نعثر على عملية التحقق الخاصة بك. يُرجى البدء من جديد.',
  wrong_code: 'هذا الرمز غير صحيح.',
  code_expired: 'انتهت صلاحية هذا الرمز. اطلب رمزًا جديدًا.',
  session_missing: 'لم يتم العثور على جلسة التحقق. يُرجى البدء من جديد.',
  session_invalid: 'جلسة التحقق غير صالحة. يُرجى البدء من جديد.',
  session_expired: 'انتهت صلاحية جلسة التحقق. يُرجى البدء من جديد.',
  too_many_attempts: 'عدد كبير جدًا من الرموز الخاطئة.',
  resend_too_soon: 'يُرجى الانتظار قليلًا قبل طلب رمز آخر.',
  resend_limit_reached: 'لا يمكنك طلب المزيد من الرموز.',
  send_limited: 'تم إرسال عدد كبير جدًا من الرسائل إلى بيانات الاتصال هذه. يُرجى المحاولة مرة أخرى لاحقًا.',
  send_limited_network: 'تم بدء عدد كبير جدًا من عمليات التحقق من هذه الشبكة. يُرجى المحاولة مرة أخرى لاحقًا.',
  internal_error: 'حدث خطأ من جهتنا. يُرجى المحاولة مرة أخرى.',
  body_consumed: 'حدث خطأ من جهتنا. يُرجى المحاولة مرة أخرى.',
  upstream_auth_failed: 'خدمة التحقق غير متاحة حاليًا. يُرجى المحاولة لاحقًا.',
  upstream_error: 'واجهت خدمة التحقق مشكلة. يُرجى المحاولة مرة أخرى.',
  upstream_invalid_response: 'واجهت خدمة التحقق مشكلة. يُرجى المحاولة مرة أخرى.',
  upstream_unavailable: 'خدمة التحقق مشغولة حاليًا. يُرجى المحاولة بعد قليل.',
  store_unavailable: 'خدمة التحقق مشغولة حاليًا. يُرجى المحاولة بعد قليل.',
  upstream_timeout: 'استغرقت خدمة التحقق وقتًا طويلًا للرد. يُرجى المحاولة مرة أخرى.',
  network_error: 'يتعذّر علينا الوصول إلى خدمة التحقق. يُرجى المحاولة مرة أخرى بعد قليل.',
  offline: 'أنت غير متصل بالإنترنت. تحقّق من اتصالك وحاول مرة أخرى.',
  timeout: 'يستغرق هذا وقتًا طويلًا. تحقّق من اتصالك وحاول مرة أخرى.',
  invalid_response: 'تلقّينا ردًا غير متوقع. يُرجى المحاولة مرة أخرى.',
  aborted: 'تم إلغاء الطلب.',
  wrong_answers: 'بعض إجاباتك غير صحيحة.',
  quiz_expired: 'انتهى الوقت المخصص لهذه الأسئلة.',
  retry_not_allowed: 'لا يمكنك إعادة محاولة هذه الخطوة.',
  channel_unavailable: 'لا يمكننا الإرسال بهذه الطريقة. اختر طريقة أخرى.',
} satisfies Record<KnownErrorCode, string>;

function duration(value: number): string {
  const total = Math.max(0, Math.ceil(value));
  if (total < 60) return plural(total, seconds);
  const wholeMinutes = Math.floor(total / 60);
  const rest = total % 60;
  const minutesText = plural(wholeMinutes, minutes);
  return rest === 0 ? minutesText : `${minutesText} و${plural(rest, seconds)}`;
}

export const ar: Messages = {
  flowLoading: 'جارٍ تحميل عملية التحقق…',
  flowStartAgain: 'البدء من جديد',
  flowStep: (index, total) => `الخطوة ${index} من ${total}`,
  flowDecisionTitle: {
    ALLOW: 'تم التحقق منك',
    BLOCK: 'تعذّر التحقق منك',
    REVIEW: 'شكرًا، نحن نراجع طلبك',
  },
  flowDecisionBody: {
    ALLOW: 'شكرًا لتأكيد هويتك. يمكنك المتابعة.',
    BLOCK: 'لم نتمكن من تأكيد هويتك، لذا لا يمكننا المتابعة هذه المرة.',
    REVIEW: 'نحتاج إلى مزيد من الوقت لمراجعة بياناتك. سنتواصل معك.',
  },
  flowUnsupported: (name) => `خطوة التحقق هذه (${name}) غير متاحة هنا. يُرجى التواصل مع الدعم.`,
  flowUnavailable: 'لم نتمكن من إكمال هذا التحقق هنا. حاول مرة أخرى بعد بضع دقائق.',
  retry: 'حاول مرة أخرى',

  errorMessage: (code) =>
    Object.hasOwn(errors, code) ? errors[code as KnownErrorCode] : 'حدث خطأ ما. يُرجى المحاولة مرة أخرى.',

  duration,

  otpLabel: 'رمز التحقق',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `أرسلنا رمزًا من ${codeLength} أرقام عبر البريد الإلكتروني إلى ${destination}.`
      : `أرسلنا رمزًا من ${codeLength} أرقام إلى ${destination}.`,
  otpHint: (codeLength) => `أدخل الرمز المكوّن من ${codeLength} أرقام.`,
  otpVerify: 'تحقّق',
  otpVerifying: 'جارٍ التحقق…',
  attemptsLeft: (count) => `${plural(count, attemptsLeft)}.`,
  otpExpiresIn: (value) => `تنتهي صلاحية الرمز خلال ${duration(value)}.`,
  otpResend: 'إرسال رمز جديد',
  otpResendIn: (value) => `يمكنك طلب رمز جديد خلال ${duration(value)}.`,
  resendsLeft: (count) => `${plural(count, resendsLeft)}.`,
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `أرسلنا رمزًا جديدًا من ${codeLength} أرقام عبر البريد الإلكتروني إلى ${destination}.`
      : `أرسلنا رمزًا جديدًا من ${codeLength} أرقام إلى ${destination}.`,
  otpOnlyNewest: 'يعمل أحدث رمز فقط.',
  otpResendSending: 'جارٍ إرسال رمز جديد…',
  otpNoResendsLeft: 'لا يمكنك طلب المزيد من الرموز. استخدم آخر رمز أرسلناه.',
  otpLockedWait: (value) => `يمكنك المحاولة مرة أخرى خلال ${duration(value)}.`,
  otpUnlocked: 'يمكنك إدخال رمز مرة أخرى.',
  otpOneMoreLocks: 'إذا أدخلت رمزًا خاطئًا آخر، فسيتعيّن عليك الانتظار مرة أخرى.',
  otpResendReady: 'يمكنك الآن طلب رمز جديد.',
  otpValueMissing: (codeLength) => `أدخل الرمز المكوّن من ${codeLength} أرقام.`,
  otpTooShort: (codeLength) => `أدخل جميع الأرقام (${codeLength}).`,
  otpPatternMismatch: 'استخدم الأرقام فقط.',
  // <kba-quiz>
  kbaQuestionOf: (index, total) => `السؤال ${index} من ${total}`,
  kbaChooseAllThatApply: 'اختر كل ما ينطبق.',
  kbaBack: 'السابق',
  kbaNext: 'التالي',
  kbaReviewAnswers: 'مراجعة الإجابات',
  kbaReviewTitle: 'راجِع إجاباتك',
  kbaReviewHint: 'يمكنك تغيير أي إجابة قبل الإرسال.',
  kbaChange: 'تغيير',
  kbaNotAnswered: 'لم تتم الإجابة',
  kbaSubmit: 'إرسال الإجابات',
  kbaSubmitting: 'جارٍ الإرسال…',
  kbaChooseOne: 'اختر إجابة للمتابعة.',
  kbaChooseAtLeastOne: 'اختر إجابة واحدة على الأقل للمتابعة.',
  // The clock is isolated left to right, so "1:30" never reads as "30:1" inside Arabic text.
  kbaTimeLeft: (value) => `الوقت المتبقي: \u2066${Math.floor(value / 60)}:${String(value % 60).padStart(2, '0')}\u2069`,
  kbaTimeLeftAnnouncement: (value) => `يتبقّى ${duration(value)} للإجابة.`,
  kbaTimeUp: 'انتهى الوقت المخصص لهذه الأسئلة.',
  kbaNewQuestions: 'إليك أسئلة جديدة.',
  kbaTooManyAttempts: 'عدد كبير جدًا من المحاولات.',
  kbaLockedWait: (value) => `عدد كبير جدًا من المحاولات. يمكنك المحاولة مرة أخرى خلال ${duration(value)}.`,
  kbaUnlocked: 'يمكنك إرسال إجاباتك مرة أخرى.',
  kbaAnswersKept: 'تم الاحتفاظ بإجاباتك.',
  // </kba-quiz>
  // <oth-waiting>
  othSentTo: (channel, destination) =>
    channel === 'EMAIL'
      ? `أرسلنا رابطًا عبر البريد الإلكتروني إلى ${destination}.`
      : `أرسلنا رابطًا في رسالة نصية إلى ${destination}.`,
  othInstructions: 'افتح الرابط على أي جهاز للمتابعة.',
  othStatus: {
    MESSAGE_SENT: 'في انتظار فتحك للرابط…',
    VERIFIED: 'تم تأكيد الرابط. جارٍ الإنهاء…',
    TERMINATED: 'تم إلغاء هذا الرابط.',
    FAILED_AUTHORIZATION: 'تعذّر تأكيد هويتك باستخدام هذا الرابط.',
    VERIFICATION_ATTEMPT_FAILED: 'لم ينجح هذا الرابط.',
    INVALID: 'هذا الرابط لم يعد صالحًا.',
    UNKNOWN: 'جارٍ التحقق من الرابط…',
  },
  othFailureHelp: (canResend) =>
    canResend ? 'أرسل رابطًا جديدًا للمحاولة مرة أخرى.' : 'لا يمكننا إرسال المزيد من الروابط. يُرجى البدء من جديد.',
  othResend: 'إرسال رابط جديد',
  othResendSending: 'جارٍ إرسال رابط جديد…',
  othResendIn: (value) => `يمكنك طلب رابط جديد خلال ${duration(value)}.`,
  othResendSent: (channel, destination) =>
    channel === 'EMAIL'
      ? `أرسلنا رابطًا جديدًا عبر البريد الإلكتروني إلى ${destination}. يعمل أحدث رابط فقط.`
      : `أرسلنا رابطًا جديدًا في رسالة نصية إلى ${destination}. يعمل أحدث رابط فقط.`,
  othResendReady: 'يمكنك الآن طلب رابط جديد.',
  othNoResendsLeft: 'لا يمكنك طلب المزيد من الروابط.',
  othLinksLeft: (count) =>
    `${plural(count, {
      zero: () => 'لم يتبقَّ أي رابط جديد',
      one: () => 'يتبقّى رابط جديد واحد',
      two: () => 'يتبقّى رابطان جديدان',
      few: (n) => `تتبقّى ${n} روابط جديدة`,
      many: (n) => `يتبقّى ${n} رابطًا جديدًا`,
      other: (n) => `يتبقّى ${n} رابط جديد`,
    })}.`,
  othSendBy: (channel) =>
    channel === 'EMAIL' ? 'أرسله عبر البريد الإلكتروني بدلًا من ذلك' : 'أرسله في رسالة نصية بدلًا من ذلك',
  othExpiresIn: (value) => `تنتهي صلاحية الرابط خلال ${duration(value)}.`,
  othExpired: 'انتهت صلاحية هذا الرابط.',
  othOffline: 'أنت غير متصل بالإنترنت. سنتحقق مرة أخرى عند عودة الاتصال.',
  othBackOnline: 'عاد الاتصال بالإنترنت.',
  // </oth-waiting>
  // <docv-status>
  docvSmsSent: (destination) =>
    destination
      ? `أرسلنا رابطًا في رسالة نصية إلى ${destination}. افتحه على هاتفك لتصوير بطاقة هويتك.`
      : 'أرسلنا رابطًا في رسالة نصية إلى هاتفك. افتحه لتصوير بطاقة هويتك.',
  docvScanQr: 'امسح هذا الرمز بكاميرا هاتفك، ثم اتبع الخطوات لتصوير بطاقة هويتك.',
  docvQrLabel: 'رمز QR يفتح التحقق من الهوية على هاتفك',
  docvContinueHere: 'المتابعة على هذا الجهاز',
  docvOpensInNewTab: '(يُفتح في علامة تبويب جديدة)',
  docvLinkUnavailable: 'الرابط غير متاح. يُرجى المحاولة لاحقًا.',
  docvStepsLabel: 'التقدّم',
  docvStepSent: (delivery) => (delivery === 'SMS' ? 'تم إرسال الرابط' : 'الرابط جاهز'),
  docvStepBegun: 'بدأت على هاتفك',
  docvStepCaptured: 'تم تصوير بطاقة الهوية',
  docvStepProcessing: 'جارٍ التحقق من بطاقة هويتك',
  docvStepDone: 'مكتمل',
  docvStatus: {
    SENT: 'بانتظار فتح الرابط على هاتفك.',
    BEGUN: 'فتحت الرابط. اتبع الخطوات على هاتفك.',
    CAPTURED: 'استلمنا صور بطاقة هويتك.',
    PROCESSING: 'نتحقق من بطاقة هويتك. قد يستغرق ذلك دقيقة.',
    VERIFIED: 'تحققنا من بطاقة هويتك.',
    FAILED: 'تعذّر التحقق من بطاقة هويتك.',
    NEEDS_RETRY: 'تعذّرت قراءة بطاقة هويتك. حاول مرة أخرى بصورة واضحة وإضاءة جيدة.',
  },
  docvRetrying: 'جارٍ البدء من جديد…',
  docvRetriesLeft: (count) =>
    `${plural(count, {
      zero: () => 'لم تتبقَّ أي محاولة',
      one: () => 'تتبقّى محاولة واحدة',
      two: () => 'تتبقّى محاولتان',
      few: (n) => `تتبقّى ${n} محاولات`,
      many: (n) => `تتبقّى ${n} محاولة`,
      other: (n) => `تتبقّى ${n} محاولة`,
    })}.`,
  docvOffline: 'أنت غير متصل بالإنترنت. سيتم تحديث ما يظهر هنا عند عودة الاتصال.',
  docvRetryIn: (seconds) => `يمكنك المحاولة مرة أخرى بعد ${duration(seconds)}.`,
  docvRetryReady: 'يمكنك المحاولة مرة أخرى الآن.',
  docvStepFailed: 'لم يكتمل',
  docvResend: 'أرسل لي رابطًا جديدًا',
  docvResending: 'جارٍ الإرسال…',
  docvResendIn: (seconds) => `يمكنك طلب رابط جديد بعد ${duration(seconds)}.`,
  docvResendReady: 'يمكنك طلب رابط جديد الآن.',
  docvResent: (destination) =>
    destination
      ? `أرسلنا رابطًا جديدًا في رسالة نصية إلى ${destination}. يعمل أحدث رابط فقط.`
      : 'أرسلنا إليك رابطًا جديدًا. يعمل أحدث رابط فقط.',
  // </docv-status>
};
