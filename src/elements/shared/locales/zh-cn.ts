/** Simplified Chinese. Counts have one form. A plain module that imports nothing at run time (the classic script loads it too). */
import type { KnownErrorCode, Messages } from './en.js';

const errors = {
  bad_json: '发送回答时出现问题。请重试。',
  invalid_body: '我们无法读取你的回答。请检查后重试。',
  csrf_rejected: '无法验证此页面。请重新加载页面后重试。',
  origin_rejected: '此页面无权为你进行验证。请重新加载页面后重试。',
  not_found: '无法连接验证服务。请稍后重试。',
  method_not_allowed: '无法连接验证服务。请稍后重试。',
  action_mismatch: '此步骤已变更。请重新加载页面以继续。',
  session_finished: '此验证已结束。',
  payload_too_large: '你的回答太长。请检查后重试。',
  unsupported_media_type: '发送回答时出现问题。请重试。',
  session_unknown: '找不到你的验证。请重新开始。',
  wrong_code: '验证码不正确。',
  code_expired: '验证码已过期。请获取新的验证码。',
  session_missing: '找不到你的验证会话。请重新开始。',
  session_invalid: '你的验证会话无效。请重新开始。',
  session_expired: '你的验证会话已过期。请重新开始。',
  too_many_attempts: '错误的验证码输入次数过多。',
  resend_too_soon: '请稍等片刻再获取新的验证码。',
  resend_limit_reached: '你无法再获取更多验证码。',
  send_limited: '向这些联系方式发送的消息过多。请稍后重试。',
  send_limited_network: '从此网络发起的验证过多。请稍后重试。',
  internal_error: '我们这边出现了问题。请重试。',
  body_consumed: '我们这边出现了问题。请重试。',
  upstream_auth_failed: '验证服务暂时不可用。请稍后重试。',
  upstream_error: '验证服务出现问题。请重试。',
  upstream_invalid_response: '验证服务出现问题。请重试。',
  upstream_unavailable: '验证服务繁忙。请稍后重试。',
  store_unavailable: '验证服务繁忙。请稍后重试。',
  upstream_timeout: '验证服务响应时间过长。请重试。',
  network_error: '无法连接验证服务。请稍后重试。',
  offline: '你已离线。请检查网络连接后重试。',
  timeout: '耗时过长。请检查网络连接后重试。',
  invalid_response: '收到了意外的响应。请重试。',
  aborted: '请求已取消。',
  wrong_answers: '你的部分回答不正确。',
  quiz_expired: '这些问题的作答时间已到。',
  retry_not_allowed: '此步骤无法重试。',
  channel_unavailable: '无法通过这种方式发送。请选择其他方式。',
} satisfies Record<KnownErrorCode, string>;

function duration(value: number): string {
  const total = Math.max(0, Math.ceil(value));
  if (total < 60) return `${total} 秒`;
  const minutes = `${Math.floor(total / 60)} 分钟`;
  return total % 60 === 0 ? minutes : `${minutes} ${total % 60} 秒`;
}

export const zhCN: Messages = {
  flowLoading: '正在加载验证…',
  flowStartAgain: '重新开始',
  flowStep: (index, total) => `第 ${index} 步，共 ${total} 步`,
  flowDecisionTitle: {
    ALLOW: '验证成功',
    BLOCK: '无法完成验证',
    REVIEW: '谢谢，我们正在审核',
  },
  flowDecisionBody: {
    ALLOW: '感谢你确认身份。你可以继续了。',
    BLOCK: '我们无法确认你的身份，因此这次无法继续。',
    REVIEW: '我们需要更多时间核对你的信息，稍后会与你联系。',
  },
  flowUnsupported: (name) => `此处无法进行该验证步骤（${name}）。请联系客服。`,
  flowUnavailable: '我们无法在此完成这项验证。请几分钟后重试。',
  retry: '重试',

  errorMessage: (code) => (Object.hasOwn(errors, code) ? errors[code as KnownErrorCode] : '出现问题。请重试。'),

  duration,

  attemptsLeft: (count) => `还剩 ${count} 次机会。`,

  otpLabel: '验证码',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `我们已通过电子邮件向 ${destination} 发送了 ${codeLength} 位验证码。`
      : `我们已向 ${destination} 发送了 ${codeLength} 位验证码。`,
  otpHint: (codeLength) => `请输入 ${codeLength} 位验证码。`,
  otpVerify: '验证',
  otpVerifying: '正在验证…',
  otpExpiresIn: (seconds) => `验证码将在 ${duration(seconds)}后过期。`,
  otpResend: '发送新验证码',
  otpResendIn: (seconds) => `${duration(seconds)}后可以获取新验证码。`,
  resendsLeft: (count) => `还可以获取 ${count} 次新验证码。`,
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `我们已通过电子邮件向 ${destination} 发送了新的 ${codeLength} 位验证码。`
      : `我们已向 ${destination} 发送了新的 ${codeLength} 位验证码。`,
  otpOnlyNewest: '只有最新的验证码有效。',
  otpResendSending: '正在发送新验证码…',
  otpNoResendsLeft: '你无法再获取更多验证码。请使用我们最后发送的验证码。',
  otpLockedWait: (seconds) => `${duration(seconds)}后可以重试。`,
  otpUnlocked: '你可以再次输入验证码了。',
  otpOneMoreLocks: '再输错一次验证码，就需要再次等待。',
  otpResendReady: '现在可以获取新验证码了。',
  otpValueMissing: (codeLength) => `请输入 ${codeLength} 位验证码。`,
  otpTooShort: (codeLength) => `请输入全部 ${codeLength} 位数字。`,
  otpPatternMismatch: '只能输入数字。',

  kbaQuestionOf: (index, total) => `第 ${index} 题，共 ${total} 题`,
  kbaChooseAllThatApply: '请选择所有符合的选项。',
  kbaBack: '返回',
  kbaNext: '下一题',
  kbaReviewAnswers: '检查回答',
  kbaReviewTitle: '请检查你的回答',
  kbaReviewHint: '提交前可以修改任何回答。',
  kbaChange: '修改',
  kbaNotAnswered: '未作答',
  kbaSubmit: '提交回答',
  kbaSubmitting: '正在提交…',
  kbaChooseOne: '请选择一个回答以继续。',
  kbaChooseAtLeastOne: '请至少选择一个回答以继续。',
  kbaTimeLeft: (seconds) => `剩余时间：${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
  kbaTimeLeftAnnouncement: (seconds) => `还剩 ${duration(seconds)}作答。`,
  kbaTimeUp: '这些问题的作答时间已到。',
  kbaNewQuestions: '以下是新的问题。',
  kbaTooManyAttempts: '尝试次数过多。',
  kbaLockedWait: (seconds) => `尝试次数过多。${duration(seconds)}后可以重试。`,
  kbaUnlocked: '你可以再次提交回答了。',
  kbaAnswersKept: '你的回答已保留。',

  othSentTo: (channel, destination) =>
    channel === 'EMAIL' ? `我们已通过电子邮件向 ${destination} 发送了链接。` : `我们已通过短信向 ${destination} 发送了链接。`,
  othInstructions: '在任意设备上打开链接即可继续。',
  othStatus: {
    MESSAGE_SENT: '正在等待你打开链接…',
    VERIFIED: '链接已确认。正在完成…',
    TERMINATED: '此链接已被取消。',
    FAILED_AUTHORIZATION: '无法通过此链接确认是你本人。',
    VERIFICATION_ATTEMPT_FAILED: '该链接无效。',
    INVALID: '此链接已失效。',
    UNKNOWN: '正在检查链接…',
  },
  othFailureHelp: (canResend) => (canResend ? '请发送新链接后重试。' : '无法再发送更多链接。请重新开始。'),
  othResend: '发送新链接',
  othResendSending: '正在发送新链接…',
  othResendIn: (seconds) => `${duration(seconds)}后可以获取新链接。`,
  othResendSent: (channel, destination) =>
    channel === 'EMAIL'
      ? `我们已通过电子邮件向 ${destination} 发送了新链接。只有最新的链接有效。`
      : `我们已通过短信向 ${destination} 发送了新链接。只有最新的链接有效。`,
  othResendReady: '现在可以获取新链接了。',
  othNoResendsLeft: '你无法再获取更多链接。',
  othLinksLeft: (count) => `还可以获取 ${count} 次新链接。`,
  othSendBy: (channel) => (channel === 'EMAIL' ? '改为通过电子邮件发送' : '改为通过短信发送'),
  othExpiresIn: (seconds) => `链接将在 ${duration(seconds)}后过期。`,
  othExpired: '此链接已过期。',
  othOffline: '你已离线。恢复联网后我们会再次检查。',
  othBackOnline: '你已恢复联网。',

  docvSmsSent: (destination) =>
    destination
      ? `我们已通过短信向 ${destination} 发送了链接。请在手机上打开，拍摄你的身份证件。`
      : '我们已通过短信向你的手机发送了链接。请打开链接，拍摄你的身份证件。',
  docvScanQr: '请用手机相机扫描此二维码，然后按步骤拍摄你的身份证件。',
  docvQrLabel: '在手机上打开证件核验的二维码',
  docvContinueHere: '在此设备上继续',
  docvOpensInNewTab: '（在新标签页中打开）',
  docvLinkUnavailable: '链接暂不可用。请稍后重试。',
  docvStepsLabel: '进度',
  docvStepSent: (delivery) => (delivery === 'SMS' ? '链接已发送' : '链接已就绪'),
  docvStepBegun: '已在手机上开始',
  docvStepCaptured: '证件已拍摄',
  docvStepProcessing: '正在核验证件',
  docvStepDone: '已完成',
  docvStatus: {
    SENT: '正在等待你在手机上打开链接。',
    BEGUN: '你已打开链接。请按手机上的步骤操作。',
    CAPTURED: '我们已收到你的证件照片。',
    PROCESSING: '正在核验你的证件，可能需要一分钟。',
    VERIFIED: '我们已核验你的证件。',
    FAILED: '我们无法核验你的证件。',
    NEEDS_RETRY: '我们无法识别你的证件。请在光线充足处拍一张清晰的照片后重试。',
  },
  docvRetrying: '正在重新开始…',
  docvRetriesLeft: (count) => `还可以重试 ${count} 次。`,
  docvOffline: '你已离线。恢复联网后此处会自动更新。',
  docvRetryIn: (seconds) => `${duration(seconds)}后可以重试。`,
  docvRetryReady: '现在可以重试了。',
  docvStepFailed: '未通过',
  docvResend: '重新发送链接短信',
  docvResending: '正在发送…',
  docvResendIn: (seconds) => `${duration(seconds)}后可以获取新链接。`,
  docvResendReady: '现在可以获取新链接了。',
  docvResent: (destination) =>
    destination ? `我们已通过短信向 ${destination} 发送了新链接。只有最新的链接有效。` : '我们已向你发送了新链接。只有最新的链接有效。',
};
