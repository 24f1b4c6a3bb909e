// Words of the page in Chinese (first) and English, kind labels (from schema/schema.toml),
// and how a node's name is shown in each language. Plain data and functions, no DOM.

export const LANGS = ['zh', 'en'];

const WORDS = {
  title: ['上海技术转移生态图谱', 'Shanghai technology-transfer graph'],
  search: ['搜索', 'Search'],
  searchPlaceholder: ['名称或编号，如 上海交通大学 / univ:sjtu', 'Name or id, e.g. 上海交通大学 / univ:sjtu'],
  searchButton: ['查找', 'Find'],
  noResults: ['没有找到匹配的主体', 'No matching actor'],
  results: ['条结果', 'results'],
  actor: ['主体', 'Actor'],
  gaps: ['合作缺口', 'Gaps'],
  partners: ['合作伙伴', 'Partners'],
  coverage: ['覆盖分析', 'Coverage'],
  hubs: ['枢纽与中介', 'Hubs and brokers'],
  kind: ['类型', 'Kind'],
  id: ['编号', 'Id'],
  name: ['名称', 'Name'],
  properties: ['属性', 'Properties'],
  source: ['原文出处', 'Source phrase'],
  degree: ['度', 'Degree'],
  pagerank: ['PageRank', 'PageRank'],
  betweenness: ['中介中心性', 'Betweenness'],
  strength: ['强度', 'Strength'],
  brokerage: ['中介角色', 'Brokerage'],
  rank: ['排名', 'Rank'],
  rankOf: ['第 {rank} / {of} 名（{kind}中）', '#{rank} of {of} ({kind})'],
  notRanked: ['无排名', 'not ranked'],
  neighbours: ['相邻主体', 'Neighbours'],
  egoNetwork: ['关系网络', 'Ego network'],
  depth: ['层数', 'Depth'],
  legend: ['图例', 'Legend'],
  sampledNote: [
    '关系过多：显示 {shown} / {total} 个节点、{edgesShown} / {edgesTotal} 条边（按距离、PageRank 选取）',
    'Too large to draw whole: showing {shown} of {total} nodes and {edgesShown} of {edgesTotal} edges (nearest, then highest PageRank)',
  ],
  drawnNote: ['已绘制 {nodes} 个节点、{edges} 条边', 'Drew {nodes} nodes and {edges} edges'],
  between: ['主体类型', 'Between kinds'],
  field: ['领域', 'Field'],
  district: ['区域', 'District'],
  any: ['不限', 'Any'],
  show: ['显示', 'Show'],
  score: ['得分', 'Score'],
  evidence: ['依据', 'Evidence'],
  sharedPartners: ['共同伙伴', 'Shared partners'],
  sharedFields: ['共同领域', 'Shared fields'],
  sharedDistricts: ['共同区域', 'Shared districts'],
  path: ['最短路径', 'Shortest path'],
  clickGap: ['点击一行查看两者之间的最短路径', 'Click a row to draw the shortest path between the two'],
  noPath: ['两者之间没有路径', 'No path between them'],
  pickSource: ['选择高校、科研机构或技术经理人', 'Pick a university, institute or researcher'],
  firm: ['企业', 'Firm'],
  introduction: ['引荐路径', 'Introduction path'],
  noGaps: ['没有找到缺口', 'No gaps found'],
  noRows: ['无', 'None'],
  total: ['合计', 'Total'],
  top: ['前 {n} 名', 'Top {n}'],
  distribution: ['分布', 'Distribution'],
  count: ['数量', 'Count'],
  loading: ['加载中…', 'Loading…'],
  error: ['出错了', 'Error'],
  language: ['English', '中文'],
  unansweredDemands: ['无人响应的技术需求', 'Demands nobody answers'],
  universitiesWithoutContracts: ['没有技术合同的高校', 'Universities without contracts'],
  chainLeadersWithoutUniversity: ['没有高校合作的链主企业', 'Chain leaders without a university tie'],
  districtsWithoutPlatform: ['有企业但无平台的区域', 'Districts with firms but no platform'],
  sparseCommunityPairs: ['联系稀疏的社群对', 'Sparsely tied community pairs'],
  demands: ['需求数', 'Demands'],
  unanswered: ['未响应', 'Unanswered'],
  achievements: ['科技成果', 'Achievements'],
  contracts: ['技术合同', 'Contracts'],
  fieldUniversities: ['该领域高校', 'Universities in the field'],
  universityTies: ['高校合作', 'University ties'],
  platformsElsewhere: ['其他区域平台', 'Platforms elsewhere'],
  observed: ['实际联系', 'Observed ties'],
  expected: ['期望联系', 'Expected ties'],
  ratio: ['比值', 'Ratio'],
  total_chain_leaders_without_university: ['没有高校合作的链主企业', 'Chain leaders without a university tie'],
  total_communities: ['社群', 'Communities'],
  total_demands: ['技术需求', 'Demands'],
  total_districts_without_platform: ['无平台的区域（按领域）', 'Districts without a platform (per field)'],
  total_sparse_community_pairs: ['联系稀疏的社群对', 'Sparse community pairs'],
  total_unanswered_demand_fields: ['有未响应需求的领域', 'Fields with unanswered demands'],
  total_unanswered_demands: ['未响应的需求', 'Unanswered demands'],
  total_universities_without_contracts: ['没有技术合同的高校', 'Universities without contracts'],
  summary: ['概况', 'Summary'],
  nodes: ['节点', 'Nodes'],
  edges: ['边', 'Edges'],
  welcome: [
    '搜索一个主体开始浏览，或从上方选择规划视图。',
    'Search for an actor to start, or pick a planning view above.',
  ],
  planners: ['规划问题', "Planners' questions"],
  plannersIntro: [
    '委员会要推动的六个问题：每张表上方是它回答的原文（数据来自公开接口 /api/v1 的 trends、consortia、synergy、engagement、platforms、universities）。',
    "The six questions the Commission wants to steer: each table sits under the sentence of the source it answers (read from the public /api/v1 trends, consortia, synergy, engagement, platforms and universities endpoints).",
  ],
  trendsTitle: ['技术合同逐年趋势', 'Technology contracts by year'],
  trendsGloss: [
    '高校技术转移规模稳步增长。',
    'Gloss: university technology transfer grows steadily — 9,179 contracts worth 7.913 bn CNY in 2024, over 20 % a year since 2015.',
  ],
  consortiaTitle: ['跨区域、跨领域、跨类型的合作', 'Ties across regions, fields and kinds'],
  consortiaGloss: [
    '跨学科、跨领域、跨区域的创新联合体。',
    'Gloss: with Jiangsu, Zhejiang and Anhui, a YRD joint research mechanism; cross-discipline, cross-field, cross-region innovation consortia are encouraged.',
  ],
  synergyTitle: ['三螺旋协同（互信息，毫比特）', 'Triple-helix synergy (mutual information, millibits)'],
  synergyGloss: [
    '联合攻关合作机制。',
    'Gloss: the joint research mechanism of universities, industry and government; negative T(UIG) means synergy.',
  ],
  engagementTitle: ['链主企业参与', 'Chain leaders and large firms in the programmes'],
  engagementGloss: [
    '鼓励链主企业参与。',
    'Gloss: chain-leader firms are encouraged to join the Explorer Programme, open competition (揭榜挂帅) and YRD joint projects.',
  ],
  platformsTitle: ['平台绩效（按类型比较）', 'Platform performance within each type'],
  platformsGloss: [
    '质量、绩效导向的绩效评估。',
    'Gloss: concept-verification centres are to be evaluated on quality and results.',
  ],
  universitiesTitle: ['高校成果转化漏斗', "Universities' conversion funnel"],
  universitiesGloss: [
    '高校IP管理与转化能力。',
    "Gloss: a work plan to raise universities' IP management and conversion capacity, with leading universities as examples.",
  ],
  year: ['年份', 'Year'],
  amountM: ['金额（百万元）', 'Amount (m CNY)'],
  universityContracts: ['高校合同', 'University contracts'],
  universityAmountM: ['高校合同金额（百万元）', 'University amount (m CNY)'],
  programmeColumn: ['计划', 'Programme'],
  projects: ['项目', 'Projects'],
  crossRegionProjects: ['跨区域项目', 'Cross-region projects'],
  ties: ['合作关系', 'Ties'],
  crossRegion: ['跨区域', 'Cross-region'],
  crossField: ['跨领域', 'Cross-field'],
  crossKind: ['跨类型', 'Cross-kind'],
  group: ['分组', 'Group'],
  units: ['单元数', 'Units'],
  firmClass: ['企业类别', 'Firm class'],
  firms: ['企业数', 'Firms'],
  explorer: ['探索者计划', 'Explorer'],
  openCompetition: ['揭榜挂帅', 'Open competition'],
  yrdJoint: ['长三角联合攻关', 'YRD joint'],
  engaged: ['已参与', 'Engaged'],
  notEngaged: ['未参与', 'Not yet'],
  class_chain_leader: ['链主企业', 'Chain leaders'],
  class_large_firm: ['大型企业', 'Large firms'],
  platformType: ['平台类型', 'Platform type'],
  platformsCount: ['平台数', 'Platforms'],
  dated: ['有年份', 'Dated'],
  medianScore: ['得分中位数', 'Median score'],
  lowerQuartile: ['下四分位', 'Lower quartile'],
  underPerformers: ['落后者', 'Under-performers'],
  universitiesCount: ['高校数', 'Universities'],
  owned: ['拥有成果', 'Owned'],
  offered: ['已发布', 'Offered'],
  contracted: ['已签约', 'Contracted'],
  spinOffs: ['孵化公司', 'Spin-offs'],
  managersPer100: ['每百项成果技术经理人', 'Managers per 100 results'],
  group_pilot: ['2023年改革试点高校', '2023 pilot universities'],
  group_other: ['其他高校', 'Other universities'],
  group_all: ['全部高校', 'All universities'],
  programme_all: ['全部', 'All'],
  programme_yrd_joint: ['长三角联合攻关', 'YRD joint research'],
  programme_explorer: ['探索者计划', 'Explorer Programme'],
  programme_open_competition: ['揭榜挂帅', 'Open competition'],
  programme_other: ['其他项目', 'Other projects'],
  programme_declared: ['申报的合作', 'Declared collaborations'],
  ptype_concept_verification: ['概念验证中心', 'Concept verification'],
  ptype_pilot_base: ['中试基地', 'Pilot bases'],
  ptype_functional_platform: ['功能型平台', 'Functional platforms'],
  ptype_other: ['其他', 'Other'],
};

const KINDS = {
  university: ['高校', 'University'],
  research_institute: ['科研机构', 'Research institute'],
  enterprise: ['企业', 'Enterprise'],
  incubator: ['孵化器/技术转移机构', 'Incubator'],
  organisation: ['其他机构', 'Organisation'],
  agency: ['政府部门', 'Agency'],
  tech_manager: ['技术经理人', 'Technology manager'],
  project: ['项目', 'Project'],
  platform: ['平台', 'Platform'],
  achievement: ['科技成果', 'Achievement'],
  demand: ['技术需求', 'Demand'],
  programme: ['计划/政策', 'Programme'],
  district: ['区域', 'District'],
  field: ['领域', 'Field'],
};

const EDGE_KINDS = {
  collaborates_with: ['合作', 'collaborates with'],
  participates_in: ['参与', 'participates in'],
  leads: ['牵头', 'leads'],
  funds: ['资助', 'funds'],
  part_of: ['隶属', 'part of'],
  owns: ['拥有', 'owns'],
  contracts_with: ['技术合同', 'contracts with'],
  incubates: ['孵化', 'incubates'],
  spun_off_from: ['衍生自', 'spun off from'],
  works_for: ['任职于', 'works for'],
  serves: ['服务', 'serves'],
  operates: ['运营', 'operates'],
  supports: ['支持', 'supports'],
  posts: ['发布', 'posts'],
  solves: ['解决', 'solves'],
  located_in: ['位于', 'located in'],
  in_field: ['所属领域', 'in field'],
};

const index = (lang) => (lang === 'en' ? 1 : 0);

/** The word `key` in `lang`, with `{name}` placeholders filled from `vars`; the key itself
 * when unknown (so a missing word shows, rather than an empty label). */
export function t(lang, key, vars = {}) {
  const entry = WORDS[key];
  const text = entry ? entry[index(lang)] : key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

/** The label of a node kind; the raw kind when unknown. */
export function kindLabel(lang, kind) {
  const entry = KINDS[kind];
  return entry ? entry[index(lang)] : kind;
}

/** The label of an edge kind; the raw kind (underscores as spaces) when unknown. */
export function edgeKindLabel(lang, kind) {
  const entry = EDGE_KINDS[kind];
  return entry ? entry[index(lang)] : kind.replace(/_/g, ' ');
}

/** The name to show first, and the other language's name when it differs. */
export function names(lang, node) {
  const zh = node.name || node.id;
  const en = node.name_en || null;
  if (lang === 'en' && en) return { main: en, other: zh !== en ? zh : null };
  return { main: zh, other: en && en !== zh ? en : null };
}

/** Every key of the word list, for checks that both languages are complete. */
export function wordKeys() {
  return Object.keys(WORDS);
}

/** True when both languages have a non-empty word for every key and a label for every kind. */
export function complete(kinds = [], edgeKinds = []) {
  const ok = (e) => Array.isArray(e) && e.length === 2 && e.every((x) => typeof x === 'string' && x.length > 0);
  return (
    Object.values(WORDS).every(ok) &&
    kinds.every((k) => ok(KINDS[k])) &&
    edgeKinds.every((k) => ok(EDGE_KINDS[k]))
  );
}
