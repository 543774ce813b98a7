/** English UI strings. The keys of this object are the message keys for every locale. */
export const en = {
  'app.name': 'Attest',
  'app.title': 'Attest – video onboarding',
  'language.label': 'Language',
  'action.retry': 'Try again',
  'action.home': 'Go to the start page',

  'landing.title': 'Your video onboarding',
  'landing.lead':
    'In one short video session, an on-screen assistant guides you through your application. It speaks to you with captions, and you can answer by speaking or typing.',
  'landing.stepsTitle': 'What will happen',
  'landing.step.consent': 'You agree to the session being recorded.',
  'landing.step.questions': 'The assistant asks you a few questions.',
  'landing.step.document': 'You show your identity document to the camera.',
  'landing.step.liveness': 'A short check that it is really you, in person.',
  'landing.step.contract': 'You review and sign your contract.',
  'landing.needsTitle': 'What you need',
  'landing.need.camera': 'A camera',
  'landing.need.microphone': 'A microphone',
  'landing.need.document': 'Your identity document',
  'landing.need.time': 'About 5 minutes',
  'landing.need.quiet': 'A quiet, well-lit place',
  'landing.privacyTitle': 'Your privacy',
  'landing.privacy':
    'Nothing is recorded until you agree at the start of the session. After you consent, the whole session (video, sound and your answers) is recorded so that the lender can review it, as the law requires.',
  'landing.start': 'Start',
  'landing.starting': 'Starting…',
  'landing.startFailed': 'We could not start a session. Please check your connection and try again.',

  'notFound.title': 'Page not found',
  'notFound.body': 'There is nothing at this address.',
  'sessionNotFound.title': 'This link is not valid',
  'sessionNotFound.body':
    'The session link may be mistyped or no longer valid. Please ask your lender for a new link.',
  'sessionExpired.title': 'This link has expired',
  'sessionExpired.body': 'Session links are valid for a limited time. Please ask your lender for a new link.',

  'session.loading': 'Loading your session…',
  'session.loadFailed': 'We could not load your session. Please check your connection and try again.',

  'device.title': 'Camera and microphone',
  'device.requesting': 'Please allow access to your camera and microphone when your browser asks.',
  'device.denied.title': 'Camera or microphone access is blocked',
  'device.denied.body': 'Attest needs your camera and microphone for the video session.',
  'device.denied.desktop':
    'On a computer: click the camera or padlock icon in the address bar, allow Camera and Microphone for this site, then press “Try again”.',
  'device.denied.mobile':
    'On a phone: open your browser’s settings, go to Site settings, allow Camera and Microphone for this site, then come back and press “Try again”.',
  'device.notFound.title': 'No camera or microphone found',
  'device.notFound.body':
    'Connect a camera and a microphone, or use a phone or laptop that has them, then press “Try again”.',
  'device.notFound.camera': 'No camera was found.',
  'device.notFound.microphone': 'No microphone was found.',
  'device.busy.title': 'Your camera or microphone is in use',
  'device.busy.body':
    'Another app or browser tab is using it. Close other apps that use the camera (video calls, camera apps), then press “Try again”.',
  'device.insecure.title': 'This page must be opened securely',
  'device.insecure.body':
    'Browsers only allow camera access on secure pages. Open the link with https:// (or on localhost).',
  'device.other.title': 'We could not start your camera and microphone',
  'device.other.body': 'Please reload the page, or try a recent version of Chrome, Edge, Firefox or Safari.',
  'selfView.label': 'Your camera preview',
  'mic.label': 'Microphone level',
  'mic.speak': 'Say something to test your microphone.',
  'mic.heard': 'We can hear you.',

  'media.connecting': 'Connecting video…',
  'media.connected': 'Video connected',
  'media.failed': 'Video connection failed',
  'media.reconnect': 'Reconnect',
  'connection.reconnecting': 'Connection lost. Reconnecting…',
  'connection.closed': 'You are disconnected.',
  'connection.reconnect': 'Reconnect',
  'sound.enable': 'Turn on the assistant’s voice',

  'ready.title': 'Ready when you are',
  'ready.body':
    'Check that your face is clearly visible and well lit. When you press “Begin”, the assistant will greet you.',
  'ready.begin': 'Begin',
  'ready.beginning': 'Starting…',
  'ready.waitMedia': '“Begin” becomes available once the video is connected.',

  'assistant.label': 'Assistant',
  'assistant.waiting': 'One moment…',
  'transcript.title': 'Conversation so far',
  'transcript.empty': 'Nothing said yet.',
  'transcript.you': 'You',
  'transcript.assistant': 'Assistant',
  'progress.step': 'Step {current} of {total}',
  'answer.label': 'Your answer',
  'answer.orType': 'Or type your answer',
  'answer.send': 'Send',
  'answer.sending': 'Sending…',
  'answer.characters': '{count} / {max}',
  'answer.waitConnection': 'Waiting for the connection…',

  'error.wrong_step': 'The conversation has moved on. Please answer the current question.',
  'error.bad_message': 'That answer could not be read. Please try again.',
  'error.message_too_large': 'That answer is too long.',
  'error.session_ended': 'This session has ended.',
  'error.session_not_found': 'This session could not be found.',
  'error.session_expired': 'This session has expired.',
  'error.session_in_use': 'This session is open in another window or device.',
  'error.media_failed': 'The video connection failed.',
  'error.internal': 'Something went wrong on our side. Please try again.',
  'error.timeout': 'No reply from the server. Please try again.',

  'inUse.title': 'This session is open in another window or device',
  'inUse.body':
    'A session can be used in one place at a time. Choose “Continue here” to move it to this window; it will stop in the other one.',
  'inUse.takeover': 'Continue here',
  'takenOver.title': 'This session continues elsewhere',
  'takenOver.body':
    'The session was opened in another window or device, so it stopped here. You can close this window.',
  'takenOver.back': 'Use this window instead',

  'finished.completed.title': 'All done, thank you!',
  'finished.completed.body': 'Your video onboarding is complete. Your lender will be in touch.',
  'finished.declined.title': 'The session has ended',
  'finished.declined.body':
    'The session ended because you chose not to continue. If this was a mistake, please contact your lender.',
  'finished.review.title': 'Thank you, your session will be reviewed',
  'finished.review.body':
    'A member of staff will check your session before a decision is made. You do not need to do anything now.',
  'finished.interrupted.title': 'Your session was interrupted',
  'finished.interrupted.body':
    'The session could not be finished. Please contact your lender; they can send you a new link.',
  'finished.other.title': 'This session has ended',
  'finished.other.body': 'If you have questions, please contact your lender.',
  'finished.reference': 'Your session reference',
  'finished.referenceHint': 'Quote this reference if you contact your lender.',
  'finished.copy': 'Copy',
  'finished.copied': 'Copied',
} as const;

export type MessageKey = keyof typeof en;
