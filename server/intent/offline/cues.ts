/**
 * Cues that are not about yes or no: prompt injection (the answer tries to instruct the system)
 * and coercion (someone else is behind the application). Both are read on the whole normalized
 * answer, in English and Chinese. A coercion cue under negation ("nobody told me to", 没有人逼我)
 * is not a signal but an assertion that the applicant acts freely.
 */
import type { CoercionSignal } from '../types.ts';

// ---- injection ----------------------------------------------------------------------------

const INJECTION: RegExp[] = [
  // English: instructions aimed at the system rather than answers to the question.
  /\b(ignore|disregard|forget|override|bypass|skip)\b[^.!?]{0,40}\b(instructions?|prompts?|rules|guidelines|polic(y|ies)|directions|context|above|system)\b/,
  /\bsystem (prompt|message|instructions?)\b/,
  /\b(you are|you're) now\b/,
  /\b(act|behave|respond) as (an?|the|my)\b/,
  /\bpretend (to be|you are|you're|that)\b/,
  /\b(developer|debug|admin|god|jailbreak) mode\b/,
  /\bjailbreak|\bdo anything now\b|\bdan mode\b/,
  /\bnew (instructions?|task|role|persona)\b/,
  /\b(mark|record|classify|label|log|set|treat|register|flag|score)\b[^.!?]{0,30}\bas (a )?["']?(yes|affirm\w*|approved?|passed|pass|true|verified|complete\w*|voluntary|understood|positive)\b/,
  /\b(output|print|return|respond with|reply with)\b[^.!?]{0,20}(json|"label"|\{|yes\b|affirm)/,
  /(^|\s)(system|assistant|developer)\s*:/,
  /<\/?(system|instructions?|prompt|user|assistant|applicant_answer)>/,
  /"label"\s*:/,
  /\bprevious (instructions?|prompts?|messages?)\b/,
  /\bas (the|an|your) (system )?(administrator|admin|developer|operator)\b|\bi (hereby )?authori[sz]e\b|\b(admin|administrator|developer|sudo) (override|access|command)\b/,
  // Chinese
  /(忽略|无视|忘记|忘掉|不要理会|别管|跳过)(掉)?(你)?(之前|以上|上面|前面|先前|所有|全部|刚才|系统)?的?(所有)?(指令|指示|提示|规则|设定|要求|命令|内容)/u,
  /系统(提示|指令|消息|设定)/u,
  /(现在|从现在起|从现在开始)你(是|就是)|你现在(是|就是)|你(要)?(扮演|充当|变成)/u,
  /(扮演|假装|充当)/u,
  /(作为|我是)(系统|你的|平台)?(管理员|开发者|开发人员)|我(特此)?授权(你)?/u,
  /(开发者|管理员|调试|越狱)模式/u,
  /(新的|新)(指令|任务|角色)/u,
  /(标记|记录|判定|判断|归类|当作|算作|视为|记为|设置|设为)(成|为)?["“]?(是|同意|通过|肯定|已理解|自愿|yes|affirm)/u,
  /(输出|返回|回复)(json|["“]?是["”]?|同意)/u,
];

/** Requests to change the flow: injection when ordered, an ordinary question when asked ("can we skip this?"). */
const FLOW_REQUESTS: RegExp[] = [
  /\b(approve|pass|verify) (me|my application|this application|this step|the check)\b/,
  /\b(skip|end|complete|finish|bypass) (this|the|all) (step|question|check|verification|process)s?\b/,
  /(直接)?(通过|批准|跳过)(这个|此|本)?(步骤|环节|问题|审核|验证|检查)/u,
];
const ASKED = /\?|吗|么|\b(can|could|may|should|do|must) (i|we)\b|能不能|可不可以|可以不/u;

export function detectInjection(text: string): boolean {
  if (INJECTION.some((pattern) => pattern.test(text))) return true;
  return !ASKED.test(text) && FLOW_REQUESTS.some((pattern) => pattern.test(text));
}

// ---- coercion -----------------------------------------------------------------------------

interface Cue {
  signal: CoercionSignal;
  pattern: RegExp;
  /** A negation just before the cue cancels it (true for most; not for "not for myself"). */
  negatable: boolean;
}

const EN_AGENT =
  '(someone|somebody|some(one| one) else|they|he|she|people|a (man|woman|guy|person|friend|stranger)|' +
  'the (agent|broker|lender|bank|company|man|woman|guy|person)|an agent|my \\w+|his \\w+|her \\w+)';
const EN_RELATION =
  '(son|daughter|kids?|child(ren)?|husband|wife|spouse|partner|boyfriend|girlfriend|fianc[ée]e?|friend|brother|' +
  'sister|mother|mom|mum|father|dad|parents?|boss|employer|manager|cousin|uncle|aunt|nephew|niece|relatives?|' +
  'neighbou?r|colleague|coworker|client|family( member)?|grand(son|daughter|mother|father|ma|pa)|in-laws?)';

const CUES: Cue[] = [
  // English
  {
    signal: 'instructed_by_other',
    pattern: new RegExp(
      `\\b${EN_AGENT} (has |had |have |is |was |are |were )?(told|tells|telling|asked|asks|asking|instructed|ordered|directed|wants|wanted|needs|paid|pays|paying|begged|convinced|persuaded|sent|put) me\\b`,
    ),
    negatable: true,
  },
  { signal: 'instructed_by_other', pattern: /\b(told|asked|instructed|ordered|paid|sent|hired|begged|persuaded|convinced) me to\b|\b(told|asked|instructed|ordered|paid|sent|hired) to (apply|do this|sign|say|take|get|come)\b/, negatable: true },
  { signal: 'instructed_by_other', pattern: /\b(someone|somebody|they|he|she) (said|says) i (have|had|must|should|need) to\b/, negatable: true },
  {
    signal: 'pressure',
    pattern:
      /\b(forc(ed|ing|es)|coerc(ed|ing|ion)|pressur(ed|ing)|threat(en(ed|ing|s)?|s)?|blackmail\w*|intimidat\w*|duress|against my will|no (other )?choice|or else|made me|makes me|making me|scared of (him|her|them)|afraid of (him|her|them))\b/,
    negatable: true,
  },
  { signal: 'pressure', pattern: /\b(have|had|got) to (do this|apply|sign)\b/, negatable: true },
  {
    signal: 'third_party_beneficiary',
    pattern: new RegExp(`\\b(for|on behalf of|instead of|to help|helping) (my|a|his|her|our|their) ${EN_RELATION}\\b`),
    negatable: true,
  },
  {
    signal: 'third_party_beneficiary',
    pattern:
      /\b(for (some(one| one)|somebody|anyone|anybody) else|someone else's|on (his|her|their|someone's|somebody's|my \w+'s) behalf|on behalf of|in (his|her|their|someone else's|my \w+'s) name|(he|she|they) (will|would|is going to|are going to|gets?|keeps?) (use|get|keep|receive|spend|have) (the|this) (money|loan|funds))\b/,
    negatable: true,
  },
  { signal: 'third_party_beneficiary', pattern: /\b(it is|it's|this is|the loan is|the money is) (for|going to) (him|her|them)\b/, negatable: true },
  {
    signal: 'third_party_beneficiary',
    pattern: new RegExp(`\\b${EN_AGENT} (needs|needed|wants|wanted|will use|is going to use|gets|will get|keeps|will keep|will spend) (the |this |that )?(money|loan|funds|cash)\\b`),
    negatable: true,
  },
  // "not my decision", 不是我的决定: someone else decided.
  { signal: 'instructed_by_other', pattern: /\bnot (really |entirely )?(my|our) (own )?(decision|choice|idea)\b|不是我(自己)?(的)?(决定|主意|意思|想法|本意)/u, negatable: false },
  // "not for myself", "not mine": a negation that makes the cue.
  { signal: 'third_party_beneficiary', pattern: /\bnot (really |actually )?(for )?(me|myself|mine|my own)\b/, negatable: false },
  {
    signal: 'prompted',
    pattern:
      /\b(telling|told|tells|showing|coaching|coached) me (what|how) to (say|answer)|\b(told|tells|telling|asked|wants|paid|instructed) (me )?to say (yes|no|that)\b|\b(someone|somebody|he|she|they|a (man|woman|person)|my \w+) (is |are )?(here |sitting |standing )?(next to|beside|behind|with) me\b|\b(reading|read) (this|it|the answers?) (from|off)\b/,
    negatable: true,
  },
  // Chinese
  {
    signal: 'instructed_by_other',
    pattern:
      /(别人|他人|有人|人|朋友|老板|领导|上司|单位|公司|丈夫|老公|妻子|老婆|儿子|女儿|孩子|父母|爸爸|妈妈|爸|妈|家人|亲戚|中介|业务员|客户经理|他们|她们|他|她)(让|叫|要|要求|安排|指使|吩咐|派|非要|逼着|催)我/u,
    negatable: true,
  },
  { signal: 'instructed_by_other', pattern: /被(要求|安排|指使|派)(来)?/u, negatable: true },
  {
    signal: 'pressure',
    pattern: /(被迫|被逼|逼我|强迫|胁迫|威胁|恐吓|不得不|身不由己|没有选择|没得选|别无选择|违背(了)?(我的)?意愿|不情愿|没(有)?办法(?=[，,。.!！]|$|只能|才))/u,
    negatable: true,
  },
  {
    signal: 'third_party_beneficiary',
    pattern:
      /(替|帮|为|给|代)(了)?(我的|我)?(别人|他人|朋友|他|她|他们|家人|亲戚|儿子|女儿|孩子|老公|丈夫|老婆|妻子|父母|爸爸|妈妈|老板|同事|哥哥|姐姐|弟弟|妹妹|邻居|客户)/u,
    negatable: true,
  },
  { signal: 'third_party_beneficiary', pattern: /(代办|代签|代替|代为|代人|代别人|借名|借用(我的)?(名义|身份))/u, negatable: true },
  { signal: 'third_party_beneficiary', pattern: /不是(为了?)?(我|本人|我自己)(自己)?(的|用|办|申请|借|贷)(?!决定|主意|意思|想法|本意)/u, negatable: false },
  {
    signal: 'prompted',
    pattern:
      /(旁边|身边|边上|后面)(有人|站着人|坐着人)|(有人|别人|朋友|家人|亲戚|老公|丈夫|老婆|妻子|老板|中介|业务员|他|她|他们)(就)?(在|站在|坐在)(我)?(旁边|身边|边上|后面|跟前|看着)|(教|叫|让|要|告诉)我(该)?(怎么|怎样|这么|这样)?(说|回答|答)/u,
    negatable: true,
  },
];

/** The cues with the `g` flag, compiled once, for `matchAll`. */
const GLOBAL_CUES: Cue[] = CUES.map((cue) => ({ ...cue, pattern: new RegExp(cue.pattern.source, `${cue.pattern.flags.replace('g', '')}g`) }));

/** Negations that, just before a cue, cancel it. */
const EN_NEGATION_BEFORE = /\b(not|never|no one|no-one|nobody|none|without|neither|nor)\b(\s+[\w']+){0,2}\s*$/;
const ZH_NEGATION_BEFORE = /(没有人|没人|没有|没|不是|不|并非|并未|并没有|无人|从来没|从未|非)[^，。！？；,.!?;]{0,2}$/u;

export interface CueReading {
  signals: CoercionSignal[];
  /** A cue appeared under negation: the applicant says nobody else is behind it. */
  deniedCoercion: boolean;
  /** The text with every cue (and the negation cancelling it) replaced by ' @ '. */
  masked: string;
}

export function detectCoercion(text: string): CueReading {
  const signals = new Set<CoercionSignal>();
  const spans: [number, number][] = [];
  let deniedCoercion = false;
  for (const cue of GLOBAL_CUES) {
    for (const match of text.matchAll(cue.pattern)) {
      const start = Math.max(0, match.index - 30);
      const before = text.slice(start, match.index);
      const han = /\p{Script=Han}/u.test(match[0]);
      const negation = cue.negatable ? (han ? ZH_NEGATION_BEFORE : EN_NEGATION_BEFORE).exec(before) : null;
      if (negation !== null) {
        deniedCoercion = true;
        spans.push([start + negation.index, match.index + match[0].length]);
      } else {
        signals.add(cue.signal);
        spans.push([match.index, match.index + match[0].length]);
      }
    }
  }
  return { signals: [...signals].sort(), deniedCoercion, masked: mask(text, spans) };
}

function mask(text: string, spans: [number, number][]): string {
  if (spans.length === 0) return text;
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of sorted) {
    if (end <= at) continue;
    out += `${text.slice(at, Math.max(at, start))} @ `;
    at = Math.max(at, end);
  }
  return out + text.slice(at);
}

/** The question itself asks about pressure or other people ("Is anyone making you ...?"). */
export function asksAboutCoercion(question: string): boolean {
  return /\b(anyone|anybody|someone|somebody|force[ds]?|forcing|pressur\w*|coerc\w*|threat\w*|told you|asked you|instructed|on behalf|someone else|another person|other people)\b|有人|别人|他人|强迫|逼|施压|胁迫|威胁|指使|代替|代办|替/u.test(
    question.normalize('NFKC').toLowerCase(),
  );
}
