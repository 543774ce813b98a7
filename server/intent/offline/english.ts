/**
 * The English reader: contractions expanded, idioms rewritten to marks ("no idea" is a hedge,
 * "no problem" a yes, "of course not" a no), then words looked up in small lexicons of
 * affirmations, denials, negators and hedges. Lexicons hold general English, not test phrases.
 */
import { readMarks } from './reading.ts';
import type { ClauseReading, Mark } from './reading.ts';

/** "don't" -> "do not", "I'm" -> "i am", "can't" -> "can not"; also without the apostrophe. */
export function expandContractions(text: string): string {
  return ` ${text} `
    .replace(/\b(can't|cant|cannot)\b/g, 'can not')
    .replace(/\b(won't|wont)\b/g, 'will not')
    .replace(/\b(ain't|aint)\b/g, 'is not')
    .replace(/\bshan't\b/g, 'shall not')
    .replace(/\b(\w+)n't\b/g, '$1 not')
    .replace(/\b(do|does|did|is|are|was|were|could|would|should|have|has|had|must|need)nt\b/g, '$1 not')
    .replace(/\b(i'm|im)\b/g, 'i am')
    .replace(/\b(\w+)'re\b/g, '$1 are')
    .replace(/\b(\w+)'ve\b/g, '$1 have')
    .replace(/\b(\w+)'ll\b/g, '$1 will')
    .replace(/\b(\w+)'d\b/g, '$1 would')
    .replace(/\b(it|that|what|there|he|she|who|this|here|where|how|let)'s\b/g, (_m, word: string) =>
      word === 'let' ? 'let us' : `${word} is`,
    )
    .replace(/\b(thats|whats)\b/g, (word) => `${word.slice(0, -1)} is`)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Idioms, tried in order on the padded clause; each becomes one mark token. */
const IDIOMS: [RegExp, string][] = [
  // Mentions of the options are not an answer: "I can't say yes or no".
  [/\b(a )?(yes|yeah) or (a )?no\b|\b(a )?no or (a )?yes\b/g, ' '],
  [/\bright (now|away)\b/g, ' '],
  // Clarification requests.
  [/\b(do|did|does) not (quite |really |fully )?(understand|get it|get that|follow|catch|hear)\b|\bnot understand\w*\b|\b(i am |i was )?(confused|lost)\b/g, ' %u '],
  [/\bwhat (do|did) you mean\b|\bwhat does (that|this|it) mean\b|\b(say|repeat) (that|it|the question) again\b|\bcome again\b|\bpardon\b|\b(can|could|would) you (repeat|explain|clarify|rephrase)\b|\b(please )?(repeat|explain|clarify|rephrase)\b|\bi have a question\b|\b(i )?(want|would like|need|wanted) to (know|ask)\b|\btell me (about|more|what|how|why|if|whether)\b|\bhow about\b|\bwhat about\b|\bi (am|was) wondering\b/g, ' %q '],
  // Strong hedges (before the negation words inside them are read).
  [/\bnot (too |to |so |that |very |quite |really |all that |entirely |completely |totally |one hundred percent |100% |a hundred percent )?(sure|certain|confident|positive|clear|convinced)\b/g, ' %h '],
  [/\b(do|does|did) not (really |even |quite |actually |honestly |truly )?know\b|\bnot know\b|\bno (earthly |real )?(idea|clue)\b|\bnot (a|any|the (slightest|faintest|foggiest)) (idea|clue)\b|\b(have|had|has) not (got )?(a|any|the (slightest|faintest|foggiest))( idea| clue)?\b|\bdunno\b|\bidk\b|\bfoggiest\b/g, ' %h '],
  [/\bwho (knows|can say|can tell)\b|\b(how|why) (would|should|could|do|can|the hell would) i know\b|\bwhat do i know\b|\bif i know\b|\bbeats me\b|\bdrawing a blank\b|\bno (knowledge|information)\b|\bdo not have (a|the|an|any|that|this|enough|the (slightest|faintest|foggiest))? ?(answer|idea|information|knowledge|clue)\b/g, ' %h '],
  [/\b(can|could) not (really )?(say|tell|decide|answer|be sure|commit|give you an answer|make up my mind)\b|\b(hard|difficult|tough|impossible) to (say|tell|decide)\b|\bmake up my mind\b/g, ' %h '],
  [/\b(let me|i need to|i have to|i will have to|i would have to|i want to|i would like to|need to) (think|check|consider|decide|ask|consult|talk)\b|\bthink (about|it over)\b|\bthinking (about )?it\b|\b(need|want) (more |some )?time\b|\bsleep on it\b|\b(decide|know|answer|tell you|confirm|see|check|do it|think)( it| that| about it)? later\b/g, ' %h '],
  [/\b(it |that )?depends\b|\bdepending\b|\bon the fence\b|\bfifty[- ]fifty\b|\b50 ?(\/|-) ?50\b|\bmore or less\b|\bin a way\b|\bto (some|a certain) extent\b|\bkind of\b|\bsort of\b|\bnot (entirely|completely|totally|fully|exactly|quite|necessarily)\b/g, ' %h '],
  // Mild hedges: "I think so" alone is unsure; with an explicit yes it softens it.
  [/\b(do|does|did) not (think|believe|suppose|expect|guess|reckon) so\b|\b(think|guess|suppose|hope|believe|expect|reckon) not\b|\bit seems not\b|\bapparently not\b/g, ' %n '],
  [/\b(i )?(think|believe|guess|suppose|hope|expect|reckon|assume|imagine) so\b|\bi (guess|suppose|reckon|assume|imagine)\b|\bi think\b(?= \W*$)|\bseems so\b|\bi would say so\b/g, ' %m '],
  // Denials.
  [/\b(of course|certainly|definitely|absolutely|surely|obviously) not\b|\bno way\b|\bno (thanks|thank you|chance|can do|deal)\b|\bnot at all\b|\bnot really\b|\bnot happening\b|\bnot (likely|interested)\b|\bnot (anymore|any more)\b|\b(hell|heck|hell to the) (no|nah)\b|\b(i will|i would|i am going to|i shall|ill) pass\b|\bpass on (it|that|this)\b|\bno good\b|\b(would )?rather not\b|\b(would )?prefer not\b|\bcount me out\b|\bi refuse\b/g, ' %n '],
  // Affirmations.
  [/\bof course\b|\bno (problem|worries|doubt|objections?|issue)\b|\bnot a problem\b|\bwithout (a )?doubt\b|\b(i )?(do|does|would) not mind\b|\bwhy not\b|\bgo ahead\b|\bgo for it\b|\b(do|proceed with) (that|it|this)\b|\blet us (do|go|proceed|continue)\b|\bsounds (good|great|fine|right|perfect)\b|\bmakes sense\b|\bthat is it\b|\bthat is the one\b|\byou (got|bet) it\b|\byou bet\b|\bgot it\b|\buh[- ]?huh\b|\bmm+[- ]?hm+\b|\bmhm+\b|\bby all means\b|\b(that|it) is the case\b|\ball right\b|\bvery well\b|\bwill do\b|\byes please\b|\bi am in\b|\bcount me in\b/g, ' %a '],
  // Statements of free will answer "are you applying freely / for yourself?".
  [/\b(of|on|by) my own (free )?(will|accord|choice|volition)\b|\bmy own (free )?(decision|choice|idea|will)\b|\b(my|own) free will\b|\bmy (decision|choice)\b/g, ' %a '],
  [/\bfor sure\b|\bfor certain\b/g, ' surely '],
];

const AFFIRM = new Set(
  (
    'yes yeah yea yep yup yeap yah ya ye aye yess yesss sure ok okay okey k kk alright agree agreed agrees ' +
    'correct right true accurate valid confirm confirmed confirms approve approved accept accepted accepting ' +
    'consent consented consenting understood understand understands comprehend fine good great awesome perfect excellent ' +
    'wonderful nice cool positive fact facts truth exactly indeed precisely truly willing willingly voluntary voluntarily ' +
    'myself want wants like would_like'
  ).split(' '),
);
const DENY = new Set(
  (
    'no nope nah naw nay nada nein negative false wrong incorrect inaccurate untrue invalid erroneous fake bogus ' +
    'disagree disagreed disagrees refuse refused decline declined reject rejected deny denied object objected ' +
    'unwilling unwillingly involuntarily involuntary bad terrible awful horrible lie lies lying'
  ).split(' '),
);
const NEGATORS = new Set(['not', 'never', 'neither', 'nor', 'hardly', 'barely']);
/** Intensifiers: an answer on their own ("absolutely!"), but they never outvote a polarity word. */
const INTENSIFIERS = new Set(['absolutely', 'definitely', 'certainly', 'surely', 'totally', 'completely', 'really', 'very', 'most', 'quite', 'obviously', 'clearly', 'totes']);
const HEDGES = new Set(['maybe', 'perhaps', 'possibly', 'probably', 'presumably', 'might', 'possible', 'possibility', 'likely', 'unsure', 'uncertain', 'undecided', 'unclear', 'unaware', 'torn', 'hesitant', 'doubt', 'doubtful', 'somewhat', 'partly', 'partially', 'kinda', 'sorta', 'hmm', 'hmmm', 'umm', 'dunno', 'whatever']);
const CHOICE = new Set(['either', 'both', 'whichever', 'any']);
const WH = new Set(['what', 'why', 'how', 'when', 'where', 'who', 'whom', 'whose', 'which']);
const AUX = new Set(['am', 'is', 'are', 'was', 'were', 'do', 'does', 'did', 'will', 'would', 'can', 'could', 'shall', 'should', 'have', 'has', 'had', 'may', 'must']);
const SUBJECTS = new Set(['i', 'we', 'it', 'that', 'this', 'he', 'she', 'they', 'you', 'there', 'the', 'my', 'your', 'a', 'an', 'these', 'those', 'anyone', 'someone']);
const LEADING_FILLER = new Set(['so', 'and', 'but', 'ok', 'okay', 'um', 'uh', 'er', 'well', 'sorry', 'then', 'also', 'hmm', 'oh', 'please', 'hey', 'excuse', 'me', 'just', 'actually']);

const MARK_TOKENS: Record<string, Mark> = { '%a': 'affirm', '%n': 'deny', '%h': 'hedge', '%m': 'mild', '%u': 'not_understood', '%q': 'question', '@': 'cue' };

function wordsOf(clause: string): string[] {
  let text = ` ${clause} `;
  for (const [pattern, replacement] of IDIOMS) text = text.replace(pattern, replacement);
  text = text.replace(/\bwould like\b/g, 'would_like').replace(/\bmay be\b/g, 'maybe').replace(/\bcould be\b/g, 'maybe');
  return text
    .split(/\s+/)
    .map((word) => (word.startsWith('%') || word === '@' ? word : word.replace(/[^\p{L}\p{N}_]/gu, '')))
    .filter((word) => word !== '');
}

/** An auxiliary with a subject is a short answer: "I do", "yes I am", "it is". */
const AUX_ANSWER =
  /^(yes |yeah |yep )?(i|we|it|that|this|he|she|they|you)( really| certainly| definitely| absolutely| sure| truly| indeed)? (am|is|are|was|were|do|does|did|will|would|can|could|shall|should|have|has|had)( indeed| too| so| already)?$/;

export function readEnglish(clause: string, asked: boolean): ClauseReading {
  const words = wordsOf(clause);
  const marks: Mark[] = [];
  let intensifiers = 0;
  words.forEach((word, index) => {
    const token = MARK_TOKENS[word];
    if (token !== undefined) marks.push(token);
    else if (NEGATORS.has(word)) marks.push('negator');
    else if (word === 'no') {
      const next = words[index + 1];
      // "no good" negates what follows; "no, ..." / "no that is wrong" is a no.
      marks.push(next !== undefined && (AFFIRM.has(next) || INTENSIFIERS.has(next)) ? 'negator' : 'deny');
    } else if (AFFIRM.has(word) || word.startsWith('affirm')) marks.push('affirm');
    else if (DENY.has(word) || word.startsWith('negat')) marks.push('deny');
    else if (HEDGES.has(word)) marks.push('hedge');
    else if (CHOICE.has(word)) marks.push('choice');
    else if (INTENSIFIERS.has(word)) {
      intensifiers += 1;
      marks.push('weak');
    }
  });
  const reading = readMarks(marks);
  const bare = words.filter((word) => !word.startsWith('%')).join(' ');
  if (reading.affirm === 0 && reading.deny === 0 && !reading.hedge && AUX_ANSWER.test(bare)) {
    reading.affirm += 1;
    reading.weakOnly = true;
  }
  if (intensifiers > 0 && reading.weakOnly && reading.affirm > 0) reading.weakOnly = false; // "absolutely!"
  // Questions: a question mark, a question word first, or an inverted auxiliary first.
  const first = words.find((word) => !LEADING_FILLER.has(word));
  const second = first === undefined ? undefined : words[words.indexOf(first) + 1];
  const polar = reading.affirm > 0 || reading.deny > 0;
  if (asked) {
    if (!reading.hedge) reading.question = true;
  } else if (first !== undefined && WH.has(first)) {
    // "What is the APR" asks; "what you said is true" answers (a free relative clause).
    if (!reading.hedge && !polar) reading.question = true;
  } else if (first !== undefined && AUX.has(first) && second !== undefined && SUBJECTS.has(second)) {
    // "Can I repay early" asks; "are you sure I don't think that's correct" answers (its polarity wins later).
    if (!polar) reading.question = true;
  }
  return reading;
}
