//! The fixed vocabulary of generated data: districts, fields, and the syllables that plausible
//! Chinese names (with English renderings) are built from.

/// An area: a Shanghai district, a zone, or a partner province.
pub(crate) struct District {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// `city`, `district`, `zone` or `province` (written as the `district_type` column).
    pub area: &'static str,
    /// How many organisations are placed here, relatively.
    pub weight: f64,
    /// City word used in company names (上海 for Shanghai areas).
    pub city_zh: &'static str,
    pub city_en: &'static str,
}

const fn d(
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    area: &'static str,
    weight: f64,
) -> District {
    District {
        id,
        zh,
        en,
        area,
        weight,
        city_zh: "上海",
        city_en: "Shanghai",
    }
}

const fn p(
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    weight: f64,
    city_zh: &'static str,
    city_en: &'static str,
) -> District {
    District {
        id,
        zh,
        en,
        area: "province",
        weight,
        city_zh,
        city_en,
    }
}

/// Shanghai as a whole (where the fixtures place actors the source does not place more
/// precisely; nothing is drawn there), its 16 districts, five zones, and the three partner
/// provinces of the Yangtze River Delta joint research mechanism. Ids are the fixtures' where
/// they have the area.
pub(crate) const DISTRICTS: &[District] = &[
    d("shanghai", "上海", "Shanghai", "city", 0.0),
    d("huangpu", "黄浦区", "Huangpu District", "district", 3.0),
    d("xuhui", "徐汇区", "Xuhui District", "district", 7.0),
    d("changning", "长宁区", "Changning District", "district", 3.0),
    d("jingan", "静安区", "Jing'an District", "district", 4.0),
    d("putuo", "普陀区", "Putuo District", "district", 4.0),
    d("hongkou", "虹口区", "Hongkou District", "district", 2.0),
    d("yangpu", "杨浦区", "Yangpu District", "district", 7.0),
    d("minhang", "闵行区", "Minhang District", "district", 8.0),
    d("baoshan", "宝山区", "Baoshan District", "district", 4.0),
    d("jiading", "嘉定区", "Jiading District", "district", 6.0),
    d("pudong", "浦东新区", "Pudong New Area", "district", 12.0),
    d("jinshan", "金山区", "Jinshan District", "district", 2.0),
    d("songjiang", "松江区", "Songjiang District", "district", 5.0),
    d("qingpu", "青浦区", "Qingpu District", "district", 4.0),
    d("fengxian", "奉贤区", "Fengxian District", "district", 2.0),
    d("chongming", "崇明区", "Chongming District", "district", 1.0),
    d(
        "zizhu",
        "紫竹高新技术产业开发区",
        "Zizhu High-tech Zone",
        "zone",
        3.0,
    ),
    d("lingang", "临港新片区", "Lingang Special Area", "zone", 4.0),
    d(
        "dalinghao",
        "大零号湾科技创新策源功能区",
        "Dalinghao Bay Innovation Zone",
        "zone",
        3.0,
    ),
    d(
        "zhangjiang",
        "张江科学城",
        "Zhangjiang Science City",
        "zone",
        6.0,
    ),
    d(
        "caohejing",
        "漕河泾开发区",
        "Caohejing Development Zone",
        "zone",
        3.0,
    ),
    p(
        "jiangsu",
        "江苏省",
        "Jiangsu Province",
        3.0,
        "苏州",
        "Suzhou",
    ),
    p(
        "zhejiang",
        "浙江省",
        "Zhejiang Province",
        3.0,
        "杭州",
        "Hangzhou",
    ),
    p("anhui", "安徽省", "Anhui Province", 2.0, "合肥", "Hefei"),
];

/// Index of a district by id (panics on a typo: ids are compile-time constants).
pub(crate) fn district(id: &str) -> u8 {
    DISTRICTS
        .iter()
        .position(|d| d.id == id)
        .unwrap_or_else(|| panic!("unknown district {id}")) as u8
}

/// Whether a district is one of the partner provinces.
pub(crate) fn is_province(idx: u8) -> bool {
    DISTRICTS[idx as usize].area == "province"
}

/// A technology field.
pub(crate) struct Field {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Relative share of organisations whose main field this is.
    pub weight: f64,
    /// Word used in company names, Chinese and English.
    pub trade_zh: &'static str,
    pub trade_en: &'static str,
    /// Districts where the field clusters, with a weight multiplier.
    pub clusters: &'static [(&'static str, f64)],
    /// Things a patent or demand in the field is about.
    pub nouns: &'static [&'static str],
}

/// The fields named in the source, under the fixtures' ids and names, plus three that
/// Shanghai's industrial policy names alongside them (integrated circuits, artificial
/// intelligence, new energy). The fixtures' `field:materials` (材料, a direction of the
/// Explorer Programme) is not drawn: generated materials work is `field:new-materials`.
pub(crate) const FIELDS: &[Field] = &[
    Field {
        id: "information",
        zh: "信息",
        en: "Information technology",
        weight: 10.0,
        trade_zh: "信息技术",
        trade_en: "Information Technology",
        clusters: &[
            ("yangpu", 2.0),
            ("xuhui", 2.0),
            ("putuo", 2.0),
            ("caohejing", 2.5),
        ],
        nouns: &[
            "分布式数据存储系统",
            "隐私计算平台",
            "工业互联网标识解析装置",
            "多源数据融合方法",
        ],
    },
    Field {
        id: "aviation",
        zh: "航空",
        en: "Aviation and aerospace",
        weight: 4.0,
        trade_zh: "航空科技",
        trade_en: "Aviation Technology",
        clusters: &[("pudong", 3.0), ("lingang", 3.0), ("minhang", 1.5)],
        nouns: &[
            "复合材料机翼结构",
            "航空发动机叶片",
            "机载健康监测系统",
            "飞行控制律设计方法",
        ],
    },
    Field {
        id: "new-materials",
        zh: "新材料",
        en: "New materials",
        weight: 8.0,
        trade_zh: "新材料",
        trade_en: "New Materials",
        clusters: &[("baoshan", 3.0), ("jinshan", 4.0), ("jiading", 1.5)],
        nouns: &["高性能碳纤维", "耐高温涂层", "可降解高分子材料", "高熵合金"],
    },
    Field {
        id: "biomedicine",
        zh: "生物医药",
        en: "Biomedicine",
        weight: 12.0,
        trade_zh: "生物科技",
        trade_en: "Biotechnology",
        clusters: &[
            ("zhangjiang", 4.0),
            ("pudong", 1.5),
            ("minhang", 1.5),
            ("fengxian", 2.0),
        ],
        nouns: &[
            "靶向药物递送载体",
            "CAR-T细胞制备工艺",
            "双特异性抗体",
            "mRNA疫苗递送系统",
        ],
    },
    Field {
        id: "intelligent-robots",
        zh: "智能机器人",
        en: "Intelligent robots",
        weight: 6.0,
        trade_zh: "机器人",
        trade_en: "Robotics",
        clusters: &[
            ("dalinghao", 3.0),
            ("minhang", 2.0),
            ("jiading", 2.0),
            ("songjiang", 1.5),
        ],
        nouns: &[
            "协作机械臂关节模组",
            "手术机器人末端执行器",
            "移动机器人导航方法",
            "灵巧手",
        ],
    },
    Field {
        id: "electronic-information",
        zh: "电子信息",
        en: "Electronic information",
        weight: 9.0,
        trade_zh: "电子科技",
        trade_en: "Electronics",
        clusters: &[
            ("zizhu", 4.0),
            ("minhang", 2.0),
            ("songjiang", 2.0),
            ("caohejing", 2.0),
        ],
        nouns: &[
            "毫米波雷达芯片",
            "柔性显示驱动电路",
            "光通信模块",
            "高精度传感器",
        ],
    },
    Field {
        id: "green-low-carbon",
        zh: "绿色低碳",
        en: "Green and low-carbon",
        weight: 7.0,
        trade_zh: "环保科技",
        trade_en: "Green Technology",
        clusters: &[
            ("lingang", 2.0),
            ("chongming", 3.0),
            ("jiading", 1.5),
            ("baoshan", 1.5),
        ],
        nouns: &[
            "二氧化碳捕集装置",
            "氢燃料电池电堆",
            "工业余热回收系统",
            "固废资源化方法",
        ],
    },
    Field {
        id: "medical-devices",
        zh: "医疗器械",
        en: "Medical devices",
        weight: 7.0,
        trade_zh: "医疗器械",
        trade_en: "Medical Devices",
        clusters: &[("zhangjiang", 3.0), ("pudong", 1.5), ("jiading", 2.0)],
        nouns: &[
            "可吸收心血管支架",
            "医学影像重建方法",
            "微创介入导管",
            "可穿戴监护设备",
        ],
    },
    Field {
        id: "nuclear-power",
        zh: "核电",
        en: "Nuclear power",
        weight: 2.0,
        trade_zh: "核能科技",
        trade_en: "Nuclear Energy Technology",
        clusters: &[("minhang", 3.0), ("lingang", 2.0)],
        nouns: &[
            "核级阀门密封结构",
            "反应堆压力容器检测方法",
            "核电站数字化仪控系统",
            "乏燃料处理工艺",
        ],
    },
    Field {
        id: "integrated-circuits",
        zh: "集成电路",
        en: "Integrated circuits",
        weight: 7.0,
        trade_zh: "半导体",
        trade_en: "Semiconductor",
        clusters: &[("zhangjiang", 3.0), ("lingang", 2.0), ("songjiang", 1.5)],
        nouns: &[
            "先进封装结构",
            "射频前端芯片",
            "刻蚀工艺",
            "存算一体芯片架构",
        ],
    },
    Field {
        id: "artificial-intelligence",
        zh: "人工智能",
        en: "Artificial intelligence",
        weight: 8.0,
        trade_zh: "智能科技",
        trade_en: "Intelligent Technology",
        clusters: &[("xuhui", 3.0), ("pudong", 1.5), ("yangpu", 1.5)],
        nouns: &[
            "大模型推理加速方法",
            "视觉缺陷检测系统",
            "知识图谱构建方法",
            "语音交互装置",
        ],
    },
    Field {
        id: "new-energy",
        zh: "新能源",
        en: "New energy",
        weight: 6.0,
        trade_zh: "新能源科技",
        trade_en: "New Energy Technology",
        clusters: &[("lingang", 3.0), ("jiading", 2.0), ("fengxian", 1.5)],
        nouns: &[
            "固态电池电解质",
            "钠离子电池正极材料",
            "光伏组件",
            "储能变流器",
        ],
    },
];

/// Index of a field by id.
pub(crate) fn field(id: &str) -> u8 {
    FIELDS
        .iter()
        .position(|f| f.id == id)
        .unwrap_or_else(|| panic!("unknown field {id}")) as u8
}

/// First and second syllables of brand names (字号), with pinyin.
pub(crate) const BRAND_FIRST: &[(&str, &str)] = &[
    ("华", "Hua"),
    ("联", "Lian"),
    ("启", "Qi"),
    ("博", "Bo"),
    ("中", "Zhong"),
    ("瑞", "Rui"),
    ("恒", "Heng"),
    ("睿", "Rui"),
    ("天", "Tian"),
    ("英", "Ying"),
    ("鼎", "Ding"),
    ("微", "Wei"),
    ("泰", "Tai"),
    ("凯", "Kai"),
    ("晶", "Jing"),
    ("思", "Si"),
    ("嘉", "Jia"),
    ("海", "Hai"),
    ("宏", "Hong"),
    ("卓", "Zhuo"),
    ("星", "Xing"),
    ("远", "Yuan"),
    ("智", "Zhi"),
    ("申", "Shen"),
    ("东", "Dong"),
    ("同", "Tong"),
    ("金", "Jin"),
    ("云", "Yun"),
    ("昊", "Hao"),
    ("诺", "Nuo"),
    ("安", "An"),
    ("明", "Ming"),
];

pub(crate) const BRAND_SECOND: &[(&str, &str)] = &[
    ("信", "xin"),
    ("创", "chuang"),
    ("明", "ming"),
    ("远", "yuan"),
    ("科", "ke"),
    ("达", "da"),
    ("通", "tong"),
    ("成", "cheng"),
    ("诺", "nuo"),
    ("新", "xin"),
    ("纳", "na"),
    ("和", "he"),
    ("普", "pu"),
    ("源", "yuan"),
    ("景", "jing"),
    ("越", "yue"),
    ("辰", "chen"),
    ("川", "chuan"),
    ("拓", "tuo"),
    ("恩", "en"),
    ("泽", "ze"),
    ("晟", "sheng"),
    ("芯", "xin"),
    ("迪", "di"),
    ("谱", "pu"),
    ("峰", "feng"),
    ("力", "li"),
    ("康", "kang"),
    ("驰", "chi"),
    ("微", "wei"),
    ("策", "ce"),
    ("望", "wang"),
];

pub(crate) const SURNAMES: &[(&str, &str)] = &[
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("黄", "Huang"),
    ("赵", "Zhao"),
    ("吴", "Wu"),
    ("周", "Zhou"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("马", "Ma"),
    ("朱", "Zhu"),
    ("胡", "Hu"),
    ("郭", "Guo"),
    ("何", "He"),
    ("林", "Lin"),
    ("高", "Gao"),
    ("罗", "Luo"),
    ("沈", "Shen"),
    ("顾", "Gu"),
];

pub(crate) const GIVEN: &[(&str, &str)] = &[
    ("伟", "wei"),
    ("芳", "fang"),
    ("敏", "min"),
    ("静", "jing"),
    ("磊", "lei"),
    ("强", "qiang"),
    ("洋", "yang"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("婷", "ting"),
    ("军", "jun"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("霞", "xia"),
    ("平", "ping"),
    ("晨", "chen"),
    ("宇", "yu"),
    ("欣", "xin"),
    ("浩", "hao"),
    ("颖", "ying"),
    ("鹏", "peng"),
    ("佳", "jia"),
    ("琳", "lin"),
];
