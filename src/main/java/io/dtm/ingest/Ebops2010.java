package io.dtm.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The closed list of EBOPS 2010 codes a trade {@code category} may name, with their titles: the Extended Balance of
 * Payments Services Classification of the <em>Manual on Statistics of International Trade in Services 2010</em>
 * (United Nations et al., MSITS 2010, Statistical Papers Series M No. 86/Rev.1, Annex I), in the alphanumeric codes
 * of its BPM6 correspondence that the SDMX balance-of-payments code lists and the OECD-WTO balanced trade in
 * services data (BaTIS) use: S for all services, SA to SL for its twelve main components, then the items below
 * them. The one place the service lists them; the trade JSON Schema's {@code category} enum is checked against it.
 */
final class Ebops2010 {

    /** Code → title, in the order of the classification. */
    static final Map<String, String> CODES = codes(
            "S", "Services",
            "SA", "Manufacturing services on physical inputs owned by others",
            "SB", "Maintenance and repair services n.i.e.",
            "SC", "Transport",
            "SC1", "Sea transport",
            "SC11", "Sea transport, passenger",
            "SC12", "Sea transport, freight",
            "SC13", "Sea transport, other",
            "SC2", "Air transport",
            "SC21", "Air transport, passenger",
            "SC22", "Air transport, freight",
            "SC23", "Air transport, other",
            "SC3", "Other modes of transport",
            "SC31", "Other modes of transport, passenger",
            "SC32", "Other modes of transport, freight",
            "SC33", "Other modes of transport, other",
            "SC3A", "Space transport",
            "SC3B", "Rail transport",
            "SC3B1", "Rail transport, passenger",
            "SC3B2", "Rail transport, freight",
            "SC3B3", "Rail transport, other",
            "SC3C", "Road transport",
            "SC3C1", "Road transport, passenger",
            "SC3C2", "Road transport, freight",
            "SC3C3", "Road transport, other",
            "SC3D", "Inland waterway transport",
            "SC3D1", "Inland waterway transport, passenger",
            "SC3D2", "Inland waterway transport, freight",
            "SC3D3", "Inland waterway transport, other",
            "SC3E", "Pipeline transport",
            "SC3F", "Electricity transmission",
            "SC3G", "Other supporting and auxiliary transport services",
            "SC4", "Postal and courier services",
            "SD", "Travel",
            "SD1", "Business travel",
            "SD11", "Acquisition of goods and services by border, seasonal, and other short-term workers",
            "SD12", "Other business travel",
            "SD2", "Personal travel",
            "SD21", "Health-related travel",
            "SD22", "Education-related travel",
            "SD23", "Other personal travel",
            "SDA", "Travel: goods",
            "SDB", "Travel: local transport services",
            "SDC", "Travel: accommodation services",
            "SDD", "Travel: food-serving services",
            "SDE", "Travel: other services",
            "SDE1", "Travel: health services",
            "SDE2", "Travel: education services",
            "SE", "Construction",
            "SE1", "Construction abroad",
            "SE2", "Construction in the reporting economy",
            "SF", "Insurance and pension services",
            "SF1", "Direct insurance",
            "SF11", "Life insurance",
            "SF12", "Freight insurance",
            "SF13", "Other direct insurance",
            "SF2", "Reinsurance",
            "SF3", "Auxiliary insurance services",
            "SF4", "Pension and standardized guarantee services",
            "SF41", "Pension services",
            "SF42", "Standardized guarantee services",
            "SG", "Financial services",
            "SG1", "Explicitly charged and other financial services",
            "SG2", "Financial intermediation services indirectly measured (FISIM)",
            "SH", "Charges for the use of intellectual property n.i.e.",
            "SH1", "Franchises and trademarks licensing fees",
            "SH2", "Licences for the use of outcomes of research and development",
            "SH3", "Licences to reproduce and/or distribute computer software",
            "SH4", "Licences to reproduce and/or distribute audio-visual and related products",
            "SH41", "Licences to reproduce and/or distribute audio-visual products",
            "SH42", "Licences to reproduce and/or distribute other products",
            "SI", "Telecommunications, computer, and information services",
            "SI1", "Telecommunications services",
            "SI2", "Computer services",
            "SI21", "Computer software",
            "SI22", "Other computer services",
            "SI3", "Information services",
            "SI31", "News agency services",
            "SI32", "Other information services",
            "SJ", "Other business services",
            "SJ1", "Research and development services",
            "SJ11", "Work undertaken on a systematic basis to increase the stock of knowledge",
            "SJ111", "Provision of customized and non-customized research and development services",
            "SJ112", "Sale of proprietary rights arising from research and development",
            "SJ12", "Other research and development services",
            "SJ2", "Professional and management consulting services",
            "SJ21", "Legal, accounting, management consulting, and public relations services",
            "SJ211", "Legal services",
            "SJ212", "Accounting, auditing, bookkeeping, and tax consulting services",
            "SJ213", "Business and management consulting and public relations services",
            "SJ22", "Advertising, market research, and public opinion polling services",
            "SJ3", "Technical, trade-related, and other business services",
            "SJ31", "Architectural, engineering, scientific, and other technical services",
            "SJ311", "Architectural services",
            "SJ312", "Engineering services",
            "SJ313", "Scientific and other technical services",
            "SJ32", "Waste treatment and de-pollution, agricultural and mining services",
            "SJ321", "Waste treatment and de-pollution",
            "SJ322", "Services incidental to agriculture, forestry, and fishing",
            "SJ323", "Services incidental to mining, and oil and gas extraction",
            "SJ33", "Operating leasing services",
            "SJ34", "Trade-related services",
            "SJ35", "Other business services n.i.e.",
            "SK", "Personal, cultural, and recreational services",
            "SK1", "Audio-visual and related services",
            "SK11", "Audio-visual services",
            "SK12", "Artistic related services",
            "SK2", "Other personal, cultural, and recreational services",
            "SK21", "Health services",
            "SK22", "Education services",
            "SK23", "Heritage and recreational services",
            "SK24", "Other personal services",
            "SL", "Government goods and services n.i.e.",
            "SL1", "Embassies and consulates",
            "SL2", "Military units and agencies",
            "SL3", "Other government goods and services n.i.e.");

    private Ebops2010() {
    }

    private static Map<String, String> codes(String... codeAndTitle) {
        Map<String, String> codes = new LinkedHashMap<>();
        for (int i = 0; i < codeAndTitle.length; i += 2) {
            if (codes.put(codeAndTitle[i], codeAndTitle[i + 1]) != null) {
                throw new IllegalStateException("EBOPS 2010 code listed twice: " + codeAndTitle[i]);
            }
        }
        return java.util.Collections.unmodifiableMap(codes);
    }
}
