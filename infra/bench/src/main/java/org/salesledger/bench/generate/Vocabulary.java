package org.salesledger.bench.generate;

/** The codes generated data draws from: regions with their cities, channels, roles, products, reasons. */
final class Vocabulary {

    private Vocabulary() {
    }

    /** A sales region: its code, a city in it and that city's position, and how many customers it gets. */
    record Region(String code, String city, double lat, double lon, int weight) {
    }

    static final Region[] REGIONS = {
            new Region("east", "Shanghai", 31.2304, 121.4737, 26),
            new Region("north", "Beijing", 39.9042, 116.4074, 20),
            new Region("south", "Guangzhou", 23.1291, 113.2644, 18),
            new Region("central", "Wuhan", 30.5928, 114.3055, 12),
            new Region("southwest", "Chengdu", 30.5728, 104.0668, 11),
            new Region("northwest", "Xian", 34.3416, 108.9398, 7),
            new Region("northeast", "Shenyang", 41.8057, 123.4315, 6),
    };

    static final int TEAMS_PER_REGION = 3;
    static final int REPS_PER_TEAM = 10; // 7 regions × 3 teams × 10: 210 reps, the ~200 of issue 18's ranking

    /** Channels a customer can come in through, with weights. */
    static final String[] CHANNELS = {"exhibition", "referral", "website", "wechat", "cold_call", "distributor",
            "search_ads"};
    static final int[] CHANNEL_WEIGHTS = {22, 18, 15, 17, 10, 12, 6};

    /** Channels of later touches: the registration channels and a few more. */
    static final String[] TOUCH_CHANNELS = {"exhibition", "referral", "website", "wechat", "cold_call",
            "distributor", "search_ads", "email", "webinar", "academic_meeting"};
    static final String[] TOUCH_TYPES = {"ad_click", "article_read", "email_open", "booth_visit", "webinar_attended",
            "call", "brochure_download", "demo_video"};

    static final String[] CATEGORIES = {"tier3_hospital", "tier2_hospital", "clinic", "lab", "physical_exam_center"};
    static final String[] KINDS = {"People's Hospital", "Central Hospital", "Maternity Hospital", "Medical Lab",
            "Health Center", "Clinic", "Diagnostics"};
    static final String[] CONTACT_ROLES = {"dean", "department_head", "head_nurse", "procurement", "engineer",
            "lab_director", "finance"};
    static final String[] VISIT_OBJECTIONS = {"price", "registration_certificate", "competitor", "after_sales",
            "budget_cycle", "training"};
    static final String[] NEEDS = {"faster_turnaround", "lower_reagent_cost", "automation", "remote_service",
            "training", "data_integration", "space_saving", "throughput"};
    static final String[] KEY_PARAMETERS = {"price", "delivery_time", "warranty", "throughput", "accuracy",
            "service_response", "reagent_cost", "footprint"};
    static final String[] DEPARTMENTS = {"radiology", "laboratory", "icu", "cardiology", "outpatient", "surgery",
            "procurement"};
    static final String[] LOSS_REASONS = {"price_too_high", "competitor_won", "budget_cut", "no_response",
            "registration_certificate_missing", "project_cancelled"};
    static final String[] OBSERVED_KINDS = {"opened_proposal", "viewed_pricing_page", "replied_wechat",
            "forwarded_brochure", "clicked_campaign"};
    /** How reps send messages ({@code MessageSent.channel}), with weights. */
    static final String[] MESSAGE_CHANNELS = {"wechat", "email", "sms", "phone", "paper"};
    static final int[] MESSAGE_CHANNEL_WEIGHTS = {55, 20, 12, 10, 3};
    static final String[] MESSAGE_TEMPLATES = {"tpl-thanks-for-visit", "tpl-proposal-followup", "tpl-price-answer",
            "tpl-case-study", "tpl-service-plan", "tpl-trial-check-in"};
    static final String[] MESSAGE_SUMMARIES = {"thanks for the meeting", "sent the revised quote",
            "answered the price question", "shared a case study from a peer hospital", "asked about the tender date",
            "checked in on the trial", "sent the service plan details"};
    static final String[] NOTES = {"met as planned", "demo of the analyser", "discussed tender timeline",
            "brought samples", "follow-up on the quote", "introduced the service plan", "short visit, busy ward"};

    /** A product: its code and its list price in CNY cents. */
    record Product(String code, long priceCents) {
    }

    static final Product[] PRODUCTS = {
            new Product("analyser-a3", 28_000_000),
            new Product("analyser-a5", 46_000_000),
            new Product("ultrasound-u2", 18_500_000),
            new Product("reagent-kit-100", 350_000),
            new Product("reagent-kit-500", 1_500_000),
            new Product("service-plan-1y", 2_400_000),
            new Product("monitor-m7", 3_900_000),
    };

    /** Price of a CNY amount in US dollars, in cents (a fixed, round rate: the data need not be exact). */
    static long usdCents(long cnyCents) {
        return cnyCents / 7;
    }
}
