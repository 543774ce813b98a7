/**
 * A small offline yes/no reader for English and Chinese answers. It is deliberately cautious:
 * anything hedged, questioning, double-negated or mixed is 'unclear', so the step asks again
 * instead of guessing a consent. (An LLM-assisted classifier may later set the answer's
 * `choice` before the event reaches the reducer; `readYesNo` honours that first.)
 */

export type YesNo = 'yes' | 'no' | 'unclear';

type Signal = YesNo | null;

/** Reads an answer event: a button choice ('yes' / 'no' / 'unclear') first, then typed text. */
export function readYesNo(answer: { text?: string; choice?: string }): YesNo {
  const choice = answer.choice?.trim().toLowerCase();
  if (choice === 'yes' || choice === 'no' || choice === 'unclear') return choice;
  const text = answer.text ?? answer.choice;
  return text === undefined ? 'unclear' : classifyYesNo(text);
}

/** Classifies free text as an answer to a yes/no question. */
export function classifyYesNo(text: string): YesNo {
  const normalized = text.normalize('NFKC').toLowerCase().replace(/[’‘`´]/g, "'");
  if (normalized.includes('?')) return 'unclear';
  const signals: Signal[] = [];
  for (const clause of normalized.split(/[.,!;:、。，！；：…()[\]{}"“”「」『』【】~\n\r\t]+/)) {
    for (const run of clause.split(/(\p{Script=Han}+)/u)) {
      if (run.trim() === '') continue;
      signals.push(/\p{Script=Han}/u.test(run) ? classifyChinese(run) : classifyEnglish(run));
    }
  }
  if (signals.includes('unclear')) return 'unclear';
  const polarities = new Set(signals.filter((signal): signal is 'yes' | 'no' => signal !== null));
  if (polarities.size !== 1) return 'unclear';
  return [...polarities][0] ?? 'unclear';
}

// ---- English ------------------------------------------------------------------------------

/** Whole phrases rewritten to one word before reading (longest first). */
const EN_PHRASES: [RegExp, string][] = [
  [/\b(of course|absolutely|certainly|definitely|sure) not\b/g, ' no '],
  [/\bno thank(s| you)\b/g, ' no '],
  [/\b(no problem|no worries|not a problem|of course|go ahead|all right|for sure)\b/g, ' ok '],
  [/\b(that's|that is|it's|it is) (right|correct|true)\b/g, ' ok '],
];

const EN_YES = new Set([
  'yes', 'yeah', 'yea', 'yep', 'yup', 'ya', 'sure', 'ok', 'okay', 'alright', 'agree', 'agreed',
  'consent', 'accept', 'correct', 'absolutely', 'certainly', 'definitely', 'fine', 'indeed',
  'affirmative', 'understood',
]);
const EN_NO = new Set([
  'no', 'nope', 'nah', 'disagree', 'refuse', 'decline', 'reject', 'object', 'deny', 'negative',
  'forced', 'pressured', 'coerced',
]);
const EN_NEGATORS = new Set(['not', 'never', 'dont', 'cant', 'wont', 'isnt', 'doesnt', 'didnt', 'arent', 'aint']);
/** Hedges and conditions: the answer is not a clear yes or no. */
const EN_HEDGES = [
  'not sure', 'unsure', 'maybe', 'perhaps', 'probably', 'possibly', "don't know", 'do not know',
  'dunno', 'not certain', 'i guess', 'kind of', 'sort of', "don't understand", 'do not understand',
  'what', 'why', 'how', 'but', 'unless', 'if', 'depends', 'wait',
];
/** Words that carry no meaning of their own in a short answer ("I do not", "I'm not, sorry"). */
const EN_FILLER = new Set([
  'i', 'me', 'we', 'it', 'that', 'this', 'you', 'please', 'thanks', 'thank', 'sorry', 'really',
  'at', 'all', 'so', 'well', 'um', 'uh', 'er', 'hmm', 'oh', 'just', 'to', 'the',
]);
/** An auxiliary alone affirms: "I do", "I am", "I will", "it is". */
const EN_AUX = new Set(['do', 'does', 'did', 'am', 'is', 'are', 'will', 'would', 'can', 'have']);

function englishTokens(run: string): string[] {
  let text = ` ${run.replace(/\s+/g, ' ').trim()} `;
  for (const [pattern, replacement] of EN_PHRASES) text = text.replace(pattern, replacement);
  const tokens: string[] = [];
  for (const word of text.trim().split(' ')) {
    const bare = word.replace(/[^\p{L}\p{N}']/gu, '');
    if (bare === '') continue;
    if (bare.endsWith("n't")) {
      const stem = bare.slice(0, -3);
      tokens.push(stem === 'ca' ? 'can' : stem === 'wo' ? 'will' : stem === 'ai' ? 'is' : stem, 'not');
    } else if (bare === "i'm") {
      tokens.push('i', 'am');
    } else {
      tokens.push(bare.replace(/'/g, ''));
    }
  }
  return tokens.filter((token) => token !== '');
}

function classifyEnglish(run: string): Signal {
  const tokens = englishTokens(run);
  if (tokens.length === 0) return null;
  const joined = ` ${tokens.join(' ')} `;
  const spaced = ` ${run.replace(/\s+/g, ' ').trim()} `;
  if (EN_HEDGES.some((hedge) => joined.includes(` ${hedge} `) || spaced.includes(` ${hedge} `))) return 'unclear';

  const signals: ('yes' | 'no')[] = [];
  let pending = 0;
  let negators = 0;
  let content = false;
  for (const token of tokens) {
    if (EN_NEGATORS.has(token)) {
      pending += 1;
      negators += 1;
    } else if (EN_YES.has(token)) {
      if (pending > 1) return 'unclear';
      signals.push(pending === 1 ? 'no' : 'yes');
      pending = 0;
    } else if (EN_NO.has(token)) {
      if (pending > 0) return 'unclear'; // "I don't disagree", "not no"
      signals.push('no');
    } else if (!EN_FILLER.has(token) && !EN_AUX.has(token)) {
      content = true;
    }
  }
  if (negators > 1) return 'unclear';
  if (pending > 0) {
    // A negation that negates nothing we know: "I don't", "I'm not" are a no; "I'm not being
    // asked by anyone" is not something a word list should decide.
    if (content) return 'unclear';
    signals.push('no');
  }
  if (signals.length === 0) {
    return !content && tokens.some((token) => EN_AUX.has(token)) ? 'yes' : null;
  }
  return merge(signals);
}

// ---- Chinese ------------------------------------------------------------------------------

type ZhToken = 'yes' | 'no' | 'negator' | 'hedge' | 'filler';

function entries(token: ZhToken, words: string): [string, ZhToken][] {
  return words.split(' ').map((word) => [word, token]);
}

/** Matched longest first, so 不知道 is a hedge, 没问题 a yes and 不 a negator. */
const ZH_LEXICON = new Map<string, ZhToken>([
  ...entries(
    'hedge',
    '不知道 不确定 不清楚 不明白 不太清楚 不太确定 不懂 没听清 没听懂 听不清 听不懂 不好意思 也许 可能 或许 大概 ' +
      '考虑 想想 什么 为什么 怎么 吗 但是 不过 可是 如果 除非 再说 等等 等一下',
  ),
  ...entries(
    'yes',
    '没问题 没错 不错 当然 同意 愿意 可以 确认 确定 接受 自愿 本人 赞成 认可 明白 理解 清楚 知道 是 对 好 行 嗯 要 想',
  ),
  ...entries('no', '拒绝 反对 否 算了 被迫 强迫 逼'),
  ...entries('negator', '没有 不 没 别 未 非 无'),
  ...entries('filler', '我 啊 呀 吧 了 的 哦 呢 嘛 哈 喔 唉 诶 真 还 太 这 样 呃 额'),
]);
const ZH_LONGEST = Math.max(...[...ZH_LEXICON.keys()].map((word) => word.length));

function chineseTokens(run: string): (ZhToken | 'other')[] {
  const chars = [...run.replace(/\s+/g, '')];
  const tokens: (ZhToken | 'other')[] = [];
  let index = 0;
  while (index < chars.length) {
    let matched = false;
    for (let length = Math.min(ZH_LONGEST, chars.length - index); length > 0; length -= 1) {
      const token = ZH_LEXICON.get(chars.slice(index, index + length).join(''));
      if (token !== undefined) {
        tokens.push(token);
        index += length;
        matched = true;
        break;
      }
    }
    if (!matched) {
      tokens.push(/\p{Script=Han}/u.test(chars[index] ?? '') ? 'other' : 'filler');
      index += 1;
    }
  }
  return tokens;
}

/** Chinese negation reaches to the end of the clause: 不是自愿的 negates 是 and 自愿. */
function classifyChinese(run: string): Signal {
  const tokens = chineseTokens(run);
  if (tokens.includes('hedge')) return 'unclear';
  const signals: ('yes' | 'no')[] = [];
  let negators = 0;
  let afterLastPolarity = 0;
  for (const token of tokens) {
    if (token === 'negator') {
      negators += 1;
      afterLastPolarity += 1;
    } else if (token === 'yes') {
      signals.push(negators % 2 === 0 ? 'yes' : 'no');
      afterLastPolarity = 0;
    } else if (token === 'no') {
      if (negators > 0) return 'unclear'; // 不拒绝, 没有被迫
      signals.push('no');
      afterLastPolarity = 0;
    }
  }
  if (signals.length > 0 && negators > 1) return 'unclear'; // 不是不同意
  if (signals.length === 0) {
    if (negators === 0) return null;
    // Only negation: 不, 不了, 没有 are a no; with unknown words around it, do not guess.
    return tokens.includes('other') ? 'unclear' : 'no';
  }
  if (afterLastPolarity > 0) signals.push('no'); // 当然不: mixed, so unclear below
  return merge(signals);
}

function merge(signals: ('yes' | 'no')[]): YesNo {
  return signals.every((signal) => signal === signals[0]) ? (signals[0] ?? 'unclear') : 'unclear';
}
