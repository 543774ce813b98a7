/**
 * The Chinese reader. Chinese has no spaces, so a clause is cut by longest match against a
 * lexicon (不知道 before 知道 before 知, 没问题 before 没); characters outside it are content.
 * Negation reaches to the next polarity word in the clause (不是自愿的 negates 自愿), so 不是不同意
 * is a double negation. Question particles count at the end of a clause only.
 */
import { readMarks } from './reading.ts';
import type { ClauseReading, Mark } from './reading.ts';

type ZhEntry = Mark | 'final' | 'intensifier' | 'filler';

function entries(entry: ZhEntry, words: string): [string, ZhEntry][] {
  return words
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => [word, entry]);
}

const LEXICON = new Map<string, ZhEntry>([
  ...entries('filler', '我 啊 呀 吧 了 的 哦 嘛 哈 喔 唉 诶 呃 额 这 那 个 就 还 也 很 非常 挺 几乎 其实 反正 一下 已经 都 您 你 说 不好意思 谢谢 请'),
  ...entries('negator', '不 没 没有 别 未 非 无 并不 并没有 并非 绝不 从不 从没 从来没有 从未 毫不 决不 勿'),
  ...entries('weak', '是 要 想 有 会 能'),
  ...entries('intensifier', '当然 肯定 绝对 一定 确实 真的 的确 必须 完全 十分 特别 非常'),
  ...entries(
    'affirm',
    '是的 是啊 是呀 对 对的 对啊 对呀 好 好的 好啊 行 行的 可以 可以的 同意 愿意 乐意 明白 理解 了解 清楚 知道 懂 懂了 ' +
      '确认 确定 没错 没问题 嗯 嗯嗯 恩 正确 自愿 本人 我本人 我自己 自己 接受 认可 赞成 属实 没意见 没有异议 无异议 不错 ' +
      '必须的 那当然 当然了 需要 有兴趣 满意 没有问题 没什么问题 没关系 没有意见',
  ),
  ...entries('deny', '不是不是 不对不对 不行不行 不要不要 不用不用 否 拒绝 反对 错 错了 错误 假的 算了 没门 休想 免了 不必'),
  ...entries(
    'hedge',
    '也许 可能 或许 大概 估计 不确定 不太确定 不一定 不知道 不太知道 不清楚 不太清楚 说不好 说不准 不好说 难说 看情况 再想想 ' +
      '想想 想一想 考虑 考虑一下 好像 似乎 随便 差不多 还没想好 没想好 犹豫 拿不准 不敢说 不敢确定 不好讲 不晓得 说不清 ' +
      '半信半疑 无所谓 以后再说 再说吧 再说 不好判断 没把握 不太好说 商量 问问 先问 问一问',
  ),
  ...entries('mild', '应该 应该是 应该吧 我觉得是 算是 大致 基本上 基本'),
  ...entries('choice', '都行 都可以 都好 两个都 哪个都'),
  ...entries(
    'not_understood',
    '不明白 不懂 没听懂 听不懂 没听清 听不清 不理解 不太明白 不太懂 不太理解 不了解 不太了解 没明白 没懂 看不懂 搞不懂 弄不懂 没看懂',
  ),
  ...entries(
    'question',
    '什么 啥 怎么 怎样 怎么样 为什么 为啥 多少 哪 哪里 哪儿 哪个 哪些 几 如何 是否 是不是 能不能 可不可以 有没有 要不要 ' +
      '对不对 好不好 行不行 会不会 请问 解释 说明一下 什么意思 能否 多久 多长 多高 何时 有个问题 有问题 想问 问一下 请教 再说一遍 再说一次 再讲一遍 重复一下 重复一遍',
  ),
  ...entries('final', '吗 么 呢'),
]);
const LONGEST = Math.max(...[...LEXICON.keys()].map((word) => [...word].length));

export function readChinese(clause: string, asked: boolean): ClauseReading {
  const chars = [...clause.replace(/\s+/g, '')];
  const marks: Mark[] = [];
  let intensifiers = 0;
  let index = 0;
  while (index < chars.length) {
    let entry: ZhEntry | undefined;
    let length = Math.min(LONGEST, chars.length - index);
    for (; length > 0; length -= 1) {
      entry = LEXICON.get(chars.slice(index, index + length).join(''));
      if (entry !== undefined) break;
    }
    if (entry === undefined || length === 0) {
      if (chars[index] === '@') marks.push('cue');
      index += 1;
      continue;
    }
    index += length;
    if (entry === 'filler') continue;
    if (entry === 'final') {
      // 吗 / 呢 end a question only at the end of the clause (ignoring trailing particles).
      const rest = chars.slice(index).join('');
      if (/^[啊呀吧了的哦嘛]*$/u.test(rest)) marks.push('question');
      continue;
    }
    if (entry === 'intensifier') {
      intensifiers += 1;
      marks.push('weak');
      continue;
    }
    marks.push(entry);
  }
  const reading = readMarks(marks);
  if (intensifiers > 0 && reading.weakOnly && reading.affirm > 0) reading.weakOnly = false; // 当然
  if (asked && !reading.hedge) reading.question = true;
  return reading;
}
