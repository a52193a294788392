//! The demo's procurement plans: what each announcement procures, from which customer.

use super::people::{People, Person};

/// One lot to procure: a customer's plan item.
pub(super) struct Item {
    pub(super) id: &'static str,
    pub(super) customer: fn(&People) -> &Person,
    pub(super) name_ru: &'static str,
    pub(super) name_kk: &'static str,
    pub(super) amount: &'static str,
    /// КТРУ code of the plan item (illustrative codes in the classifier's format).
    pub(super) ktru: &'static str,
}

pub(super) struct Plan {
    pub(super) key: &'static str,
    pub(super) method: &'static str,
    pub(super) subject: &'static str,
    pub(super) name_ru: &'static str,
    pub(super) name_kk: &'static str,
    pub(super) serial: u32,
    pub(super) items: Vec<Item>,
}

pub(super) fn laptops_plan() -> Plan {
    Plan {
        key: "announcement/laptops",
        method: "open_tender",
        subject: "goods",
        name_ru: "Приобретение ноутбуков для кабинетов информатики",
        name_kk: "Информатика кабинеттеріне ноутбуктер сатып алу",
        serial: 16_776_705,
        items: vec![Item {
            id: "PI-2026-0101",
            customer: |p| &p.school,
            name_ru: "Ноутбук 15,6\" (Intel Core i5, 16 ГБ ОЗУ)",
            name_kk: "Ноутбук 15,6\" (Intel Core i5, 16 ГБ ЖЖҚ)",
            amount: "42000000.00",
            ktru: "262011.100.000002",
        }],
    }
}

pub(super) fn paper_plan() -> Plan {
    Plan {
        key: "announcement/paper",
        method: "price_quotations",
        subject: "goods",
        name_ru: "Закуп бумаги и канцелярских товаров",
        name_kk: "Қағаз және кеңсе тауарларын сатып алу",
        serial: 16_781_002,
        items: vec![
            Item {
                id: "PI-2026-0201",
                customer: |p| &p.clinic,
                name_ru: "Бумага офисная А4, 80 г/м²",
                name_kk: "А4 кеңсе қағазы, 80 г/м²",
                amount: "2400000.00",
                ktru: "171912.100.000003",
            },
            Item {
                id: "PI-2026-0202",
                customer: |p| &p.school,
                name_ru: "Папки-регистраторы",
                name_kk: "Тіркеуші папкалар",
                amount: "900000.00",
                ktru: "172312.300.000004",
            },
        ],
    }
}

pub(super) fn cleaning_plan() -> Plan {
    Plan {
        key: "announcement/cleaning",
        method: "price_quotations",
        subject: "service",
        name_ru: "Услуги по уборке помещений поликлиники",
        name_kk: "Емхана үй-жайларын жинау қызметтері",
        serial: 16_790_377,
        items: vec![Item {
            id: "PI-2026-0301",
            customer: |p| &p.clinic,
            name_ru: "Уборка помещений, 12 месяцев",
            name_kk: "Үй-жайларды жинау, 12 ай",
            amount: "7800000.00",
            ktru: "812110.000.000005",
        }],
    }
}

pub(super) fn repair_plan() -> Plan {
    Plan {
        key: "announcement/repair",
        method: "open_tender",
        subject: "service",
        name_ru: "Техническое обслуживание лифтового оборудования",
        name_kk: "Лифт жабдығына техникалық қызмет көрсету",
        serial: 16_802_218,
        items: vec![Item {
            id: "PI-2026-0401",
            customer: |p| &p.clinic,
            name_ru: "Обслуживание лифтов, 4 подъезда",
            name_kk: "Лифттерге қызмет көрсету, 4 кіреберіс",
            amount: "5600000.00",
            ktru: "432911.000.000006",
        }],
    }
}

pub(super) fn meals_plan() -> Plan {
    Plan {
        key: "announcement/meals",
        method: "open_tender",
        subject: "service",
        name_ru: "Организация горячего питания учащихся",
        name_kk: "Оқушылардың ыстық тамағын ұйымдастыру",
        serial: 16_806_940,
        items: vec![Item {
            id: "PI-2026-0501",
            customer: |p| &p.school,
            name_ru: "Горячее питание 1–4 классов",
            name_kk: "1–4 сыныптардың ыстық тамағы",
            amount: "19800000.00",
            ktru: "562910.000.000007",
        }],
    }
}

pub(super) fn furniture_plan() -> Plan {
    Plan {
        key: "announcement/furniture",
        method: "open_tender",
        subject: "goods",
        name_ru: "Поставка ученической мебели",
        name_kk: "Оқушы жиһазын жеткізу",
        serial: 16_811_455,
        items: vec![Item {
            id: "PI-2026-0601",
            customer: |p| &p.school,
            name_ru: "Парта ученическая двухместная регулируемая",
            name_kk: "Реттелетін екі орындық оқушы партасы",
            amount: "6400000.00",
            ktru: "310911.500.000008",
        }],
    }
}

pub(super) fn draft_plan() -> Plan {
    Plan {
        key: "announcement/draft",
        method: "price_quotations",
        subject: "goods",
        name_ru: "Закуп дезинфицирующих средств",
        name_kk: "Дезинфекциялық құралдарды сатып алу",
        serial: 16_820_031,
        items: vec![Item {
            id: "PI-2026-0701",
            customer: |p| &p.clinic,
            name_ru: "Средство дезинфицирующее, 5 л",
            name_kk: "Дезинфекциялық құрал, 5 л",
            amount: "1150000.00",
            ktru: "202014.000.000009",
        }],
    }
}

/// A completed auction: bidding with extensions, results formed automatically.
pub(super) fn copier_paper_plan() -> Plan {
    Plan {
        key: "announcement/copier-paper",
        method: "auction",
        subject: "goods",
        name_ru: "Приобретение бумаги для офисной техники",
        name_kk: "Кеңсе техникасына арналған қағаз сатып алу",
        serial: 16_776_901,
        items: vec![Item {
            id: "PI-2026-0901",
            customer: |p| &p.school,
            name_ru: "Бумага офисная А4, 80 г/м², 500 листов",
            name_kk: "А4 кеңсе қағазы, 80 г/м², 500 парақ",
            amount: "3600000.00",
            ktru: "171912.300.000001",
        }],
    }
}

/// «Закупка жилища» (spec 000-B §1.6): an apartment for a school's teacher.
pub(super) fn housing_plan() -> Plan {
    Plan {
        key: "announcement/housing",
        method: "housing",
        subject: "goods",
        name_ru: "Приобретение жилища для молодого специалиста",
        name_kk: "Жас маманға тұрғын үй сатып алу",
        serial: 16_790_017,
        items: vec![Item {
            id: "PI-2026-0951",
            customer: |p| &p.school,
            name_ru: "Двухкомнатная квартира, не менее 54 м²",
            name_kk: "Екі бөлмелі пәтер, кемінде 54 м²",
            amount: "25000000.00",
            ktru: "681012.000.000001",
        }],
    }
}

/// An auction in bidding when the demo is loaded.
pub(super) fn toner_plan() -> Plan {
    Plan {
        key: "announcement/toner",
        method: "auction",
        subject: "goods",
        name_ru: "Приобретение картриджей для принтеров",
        name_kk: "Принтерлерге арналған картридждер сатып алу",
        serial: 16_776_902,
        items: vec![Item {
            id: "PI-2026-0902",
            customer: |p| &p.clinic,
            name_ru: "Картридж лазерный (ресурс 3000 страниц)",
            name_kk: "Лазерлік картридж (3000 бет ресурсы)",
            amount: "2450000.00",
            ktru: "282313.900.000003",
        }],
    }
}

/// A paper «Конкурс с предварительным квалификационным отбором» (spec 000-C §1.9): run off the
/// portal, its results entered by hand.
pub(super) fn printing_plan() -> Plan {
    Plan {
        key: "announcement/printing",
        method: "prequalification",
        subject: "goods",
        name_ru: "Изготовление учебных пособий",
        name_kk: "Оқу құралдарын дайындау",
        serial: 16_792_031,
        items: vec![Item {
            id: "PI-2026-1001",
            customer: |p| &p.school,
            name_ru: "Учебные пособия для начальных классов",
            name_kk: "Бастауыш сыныптарға арналған оқу құралдары",
            amount: "3200000.00",
            ktru: "581119.000.000002",
        }],
    }
}

/// A «Запрос ценовых предложений (не ГЗ)» (spec 000-C §1.10): a procurement for a body outside
/// the law on state procurement, run off the portal.
pub(super) fn canteen_plan() -> Plan {
    Plan {
        key: "announcement/canteen",
        method: "price_quotations_non_gz",
        subject: "goods",
        name_ru: "Поставка кухонного оборудования для столовой",
        name_kk: "Асханаға ас үй жабдықтарын жеткізу",
        serial: 16_793_044,
        items: vec![Item {
            id: "PI-2026-1101",
            customer: |p| &p.school,
            name_ru: "Пароконвектомат на 10 уровней",
            name_kk: "10 деңгейлі буконвектомат",
            amount: "4100000.00",
            ktru: "282513.000.000001",
        }],
    }
}
