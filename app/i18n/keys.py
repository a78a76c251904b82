"""Labels looked up by a key built from data at run time (a table's key, a column, a stage), marked here so
`pybabel extract` (app/i18n/extract.py) keeps them in the catalogs. Each group names where its keys are built."""
from __future__ import annotations

from . import N_

# words inside the lab's tables: the keys of cbec_core.tables.WORDS (`table_words`)
LAB_WORD = (
    N_("lab_word_controls"), N_("lab_word_difference"), N_("lab_word_index_cmm_io"), N_("lab_word_index_cmm_lsc"),
    N_("lab_word_index_mmm"), N_("lab_word_intercept"), N_("lab_word_intercept_only"), N_("lab_word_level_mean"),
    N_("lab_word_level_p16"), N_("lab_word_level_p50"), N_("lab_word_level_p84"), N_("lab_word_level_sd_high"),
    N_("lab_word_level_sd_low"), N_("lab_word_mediation"), N_("lab_word_mediator_model"), N_("lab_word_monte_carlo"),
    N_("lab_word_non_pilot"), N_("lab_word_note"), N_("lab_word_nowhere"), N_("lab_word_outcome_model"),
    N_("lab_word_pilot"), N_("lab_word_region"), N_("lab_word_table"), N_("lab_word_term_business_model_B2C"),
    N_("lab_word_term_firm_age"), N_("lab_word_term_firm_size"), N_("lab_word_term_pilot_zone"),
    N_("lab_word_term_region_central"), N_("lab_word_term_region_west"), N_("lab_word_total_effect"),
    N_("lab_word_wald")
)

# lab table titles: `lab_table_{table.key}` for each cbec_core.tables.LabTable (app_pages/lab.py)
LAB_TABLE = (
    N_("lab_table_cfa_fit"), N_("lab_table_conditional_indirect_percentile"), N_("lab_table_conditional_indirect_sd"),
    N_("lab_table_excluded"), N_("lab_table_fornell_larcker"), N_("lab_table_hierarchical"), N_("lab_table_htmt"),
    N_("lab_table_indices"), N_("lab_table_johnson_neyman"), N_("lab_table_loadings"),
    N_("lab_table_mediator_regression"), N_("lab_table_outcome_regression"), N_("lab_table_reliability"),
    N_("lab_table_sem_fit"), N_("lab_table_sem_paths"), N_("lab_table_simple_slopes"), N_("lab_table_subgroups")
)

# lab table notes: `lab_note_{table.key}` (app_pages/lab.py)
LAB_NOTE = (
    N_("lab_note_cfa_fit"), N_("lab_note_conditional_indirect_percentile"), N_("lab_note_conditional_indirect_sd"),
    N_("lab_note_excluded"), N_("lab_note_fornell_larcker"), N_("lab_note_hierarchical"), N_("lab_note_htmt"),
    N_("lab_note_indices"), N_("lab_note_johnson_neyman"), N_("lab_note_loadings"), N_("lab_note_mediator_regression"),
    N_("lab_note_outcome_regression"), N_("lab_note_reliability"), N_("lab_note_sem_fit"), N_("lab_note_sem_paths"),
    N_("lab_note_simple_slopes"), N_("lab_note_subgroups")
)

# lab table column headers: `lab_col_{column}` of the cbec_core.tables frames (app_pages/lab.py)
LAB_COL = (
    N_("lab_col_added"), N_("lab_col_alpha_pass"), N_("lab_col_alpha_threshold"), N_("lab_col_at"),
    N_("lab_col_at_level"), N_("lab_col_at_raw"), N_("lab_col_ave_pass"), N_("lab_col_ave_threshold"),
    N_("lab_col_boot_hi"), N_("lab_col_boot_lo"), N_("lab_col_boundary"), N_("lab_col_ci"), N_("lab_col_ci_hi"),
    N_("lab_col_ci_lo"), N_("lab_col_column"), N_("lab_col_construct"), N_("lab_col_construct_1"),
    N_("lab_col_construct_2"), N_("lab_col_cr_pass"), N_("lab_col_cr_threshold"), N_("lab_col_criterion"),
    N_("lab_col_effect"), N_("lab_col_f_change"), N_("lab_col_good"), N_("lab_col_good_pass"), N_("lab_col_group"),
    N_("lab_col_hypothesis"), N_("lab_col_in_data"), N_("lab_col_index"), N_("lab_col_io"), N_("lab_col_io_level"),
    N_("lab_col_item"), N_("lab_col_level"), N_("lab_col_loading"), N_("lab_col_lsc"), N_("lab_col_lsc_level"),
    N_("lab_col_message"), N_("lab_col_model"), N_("lab_col_moderator"), N_("lab_col_pass"), N_("lab_col_path"),
    N_("lab_col_r2_mediator"), N_("lab_col_r2_outcome"), N_("lab_col_row"), N_("lab_col_significant"),
    N_("lab_col_significant_for"), N_("lab_col_slope"), N_("lab_col_step"), N_("lab_col_term"), N_("lab_col_threshold"),
    N_("lab_col_value"), N_("lab_col_value_raw"), N_("lab_col_w"), N_("lab_col_z")
)

# the lab's tabs: `lab_tab_{k}` for k in app_pages/lab.py TABS
LAB_TAB = (
    N_("lab_tab_excluded"), N_("lab_tab_measurement"), N_("lab_tab_mediation"), N_("lab_tab_moderation"),
    N_("lab_tab_sem"), N_("lab_tab_subgroups")
)

# rows of a fit comparison: `cmp_{key}` of cbec_core.compare (charts/versions.py, app_pages/versions.py)
CMP = (
    N_("cmp_a"), N_("cmp_a1"), N_("cmp_a3"), N_("cmp_a_io"), N_("cmp_b"), N_("cmp_b1"), N_("cmp_b3"), N_("cmp_b5"),
    N_("cmp_b_lsc"), N_("cmp_c_prime"), N_("cmp_c_prime_reg"), N_("cmp_cfi"), N_("cmp_chi2_df"), N_("cmp_group_fit"),
    N_("cmp_group_latent"), N_("cmp_group_regression"), N_("cmp_index_mmm"), N_("cmp_indirect"), N_("cmp_n"),
    N_("cmp_r2_mediator"), N_("cmp_r2_outcome"), N_("cmp_rmsea"), N_("cmp_srmr"), N_("cmp_theta_mean"), N_("cmp_tli"),
    N_("cmp_total")
)

# a fit's provenance: `prov_{provenance}` (app_pages/versions.py)
PROV = (
    N_("prov_collected"), N_("prov_synthetic-reference"), N_("prov_uploaded")
)

# replication table columns: `rep_col_{c}` for c in app_pages/replication.py COLUMNS
REP_COL = (
    N_("rep_col_figure"), N_("rep_col_note"), N_("rep_col_where")
)

# peer segments: `segment_{dimension}` of cbec_core.population.SEGMENT_DIMENSIONS (ui/results.py, report/content.py)
SEGMENT = (
    N_("segment_business_model"), N_("segment_pilot_zone"), N_("segment_region"), N_("segment_size_band")
)

# fit stages: `ver_stage_{stage}` of cbec_core.model.fit's progress callback (ui/fit_progress.py)
VER_STAGE = (
    N_("ver_stage_bootstrap"), N_("ver_stage_sem_bootstrap"), N_("ver_stage_structural"), N_("ver_stage_subgroups")
)

# zone groupings: `zones_by_{grouping}` (app_pages/zones.py)
ZONES_BY = (
    N_("zones_by_pilot_zone"), N_("zones_by_province"), N_("zones_by_region"), N_("zones_by_zone")
)

# zone comparison methods: `zones_method_{method}` of cbec_core.zones (app_pages/zones.py, charts/zones.py)
ZONES_METHOD = (
    N_("zones_method_benchmark"), N_("zones_method_refit")
)

# pilot-zone groups: `zones_pilot_{0|1}` (charts/zones.py)
ZONES_PILOT = (
    N_("zones_pilot_0"), N_("zones_pilot_1")
)

# store errors: `store_{code}` for each StoreError(message, code, **values) raised in db/ (`error_text`)
STORE = (
    N_("store_bad_email"), N_("store_bad_role"), N_("store_bad_username"), N_("store_duplicate_account"),
    N_("store_duplicate_username"), N_("store_empty_password"), N_("store_last_admin"), N_("store_no_account"),
    N_("store_short_password"), N_("store_throttled"),
    N_("store_bad_firm_key"), N_("store_bad_join_code"), N_("store_bad_secret"), N_("store_dataset_name_length"),
    N_("store_dataset_name_taken"), N_("store_pool_unchanged"), N_("store_unknown_firm_key"),
    N_("store_unknown_join_code"), N_("store_workshop_closed"), N_("store_workshop_name_missing"),
    N_("store_unknown_fit"), N_("store_unknown_workshop"), N_("store_unknown_segment"), N_("store_unknown_score"),
    N_("store_unknown_grouping"), N_("store_bad_provenance"), N_("store_unknown_dataset"), N_("store_dataset_rows_missing"),
    N_("store_bad_table_suffix"), N_("store_xlsx_too_long"), N_("store_unknown_dataset_id"),
    N_("store_dataset_kept"), N_("store_fit_exists"), N_("store_fit_label_length"), N_("store_fit_scored"),
    N_("store_fit_was_active"), N_("store_unknown_firm_key_delete"), N_("store_bad_purge_days"),
)

# sections of the recommendations' sources: `src_{section slug}` (`source_text`)
SOURCES = (
    N_("src_1_introduction_the_modern_model"), N_("src_2_2_specific_models_of_commodity_trading_and_supply_chain_3"),
    N_("src_3_1_changes_of_ability_requirements_for_practitioners"), N_("src_3_1_collaborative_mechanism"),
    N_("src_3_1_contract_mechanism_4_3_2_collaborative_mechanism_aliexpr"),
    N_("src_3_1_intelligent_operations_and_supply_chain_optimization"), N_("src_3_1_profit_distribution_mechanism"),
    N_("src_3_2_hyper_personalized_marketing_and_customer_engagement"),
    N_("src_3_3_enhanced_customer_service_and_experience"),
    N_("src_3_4_risk_management_and_fraud_prevention_5_challenges_and_et"), N_("src_3_conclusion_recommendations"),
    N_("src_4_3_2_collaborative_mechanism_aliexpress"), N_("src_4_3_2_rules_mechanism_aliexpress"),
    N_("src_abstract_findings"), N_("src_data_collection_and_analysis_sample_demographics"),
    N_("src_discussion_key_findings"), N_("src_hypothesis_testing_moderated_mediation_analysis_h3"),
    N_("src_literature_review_aigc_technology_adoption"), N_("src_literature_review_high_quality_development"),
    N_("src_literature_review_institutional_openness"), N_("src_literature_review_learning_oriented_supply_chains"),
    N_("src_practical_implications_for_b2b_and_b2c_firms"), N_("src_practical_implications_for_firms"),
    N_("src_practical_implications_for_large_enterprises"), N_("src_practical_implications_for_policymakers"),
    N_("src_practical_implications_for_smes"), N_("src_robustness_and_post_hoc_analyses_subgroup_analysis"),
    N_("src_theoretical_foundations_dynamic_capability_theory")
)

# survey problems: `problem_{code}` and `problem_fix_{fix}` of cbec_core.survey.Problem (`problem_text`)
PROBLEMS = (
    N_("problem_bad_control"), N_("problem_column_missing"), N_("problem_excluded_control"),
    N_("problem_excluded_missing"), N_("problem_excluded_outside"), N_("problem_file_empty"),
    N_("problem_file_encoding"), N_("problem_file_missing"), N_("problem_file_sheets"), N_("problem_file_type"),
    N_("problem_file_unreadable"), N_("problem_fix_firm_age"), N_("problem_fix_firm_size"), N_("problem_fix_item"),
    N_("problem_fix_pilot_zone"), N_("problem_no_columns"), N_("problem_no_rows"), N_("problem_not_a_number"),
    N_("problem_not_allowed"),
    N_("problem_cell_control_missing"), N_("problem_cell_missing"), N_("problem_cell_outside"), N_("problem_file_too_big"),
    N_("problem_fix_stored_item"), N_("problem_formula"), N_("problem_not_storable"), N_("problem_unknown_zone"),
)


# the robustness checks (invariance, MLR, PLS-SEM): notes, estimator and grouping choices, table titles, columns
# and words built from the fit's keys (`inv_note_{level}`, `lab_estimator_{e}`, `lab_col_{column}`, …; app_pages/lab.py,
# app_pages/zones.py, cbec_core/tables.py)
ROBUSTNESS = (
    N_("inv_note_configural"), N_("inv_note_metric"), N_("inv_note_none"), N_("inv_note_scalar"),
    N_("inv_note_untested"), N_("lab_col_agree"), N_("lab_col_cb_ave"), N_("lab_col_cb_beta"), N_("lab_col_cb_cr"),
    N_("lab_col_cb_loading"), N_("lab_col_cb_p"), N_("lab_col_cb_sem"), N_("lab_col_cfi"), N_("lab_col_chen_fail"),
    N_("lab_col_chi2"), N_("lab_col_converged"), N_("lab_col_delta_cfi"), N_("lab_col_delta_chi2"),
    N_("lab_col_delta_df"), N_("lab_col_delta_p"), N_("lab_col_delta_rmsea"), N_("lab_col_df"), N_("lab_col_f2"),
    N_("lab_col_f2_rule"), N_("lab_col_f2_size"), N_("lab_col_holds"), N_("lab_col_invariance"),
    N_("lab_col_lrt_fail"), N_("lab_col_mean_diff"), N_("lab_col_ml"), N_("lab_col_ml_pass"), N_("lab_col_mlr"),
    N_("lab_col_mlr_pass"), N_("lab_col_pls"), N_("lab_col_pls_ave"), N_("lab_col_pls_beta"),
    N_("lab_col_pls_loading"), N_("lab_col_reading"), N_("lab_col_rhoc"), N_("lab_col_rhoc_pass"),
    N_("lab_col_rhoc_threshold"), N_("lab_col_rmsea"), N_("lab_col_srmr"), N_("lab_col_std_diff"),
    N_("lab_col_weight"), N_("lab_estimator_ML"), N_("lab_estimator_MLR"), N_("lab_group_business_model"),
    N_("lab_group_pilot_zone"), N_("lab_group_region"), N_("lab_invariance_none"), N_("lab_invariance_warn"),
    N_("lab_note_estimators"), N_("lab_note_invariance"), N_("lab_note_latent_means"), N_("lab_note_pls_loadings"),
    N_("lab_note_pls_mediation"), N_("lab_note_pls_paths"), N_("lab_note_pls_reliability"), N_("lab_tab_robustness"),
    N_("lab_table_estimators"), N_("lab_table_invariance"), N_("lab_table_latent_means"),
    N_("lab_table_pls_loadings"), N_("lab_table_pls_mediation"), N_("lab_table_pls_paths"),
    N_("lab_table_pls_reliability"), N_("lab_word_ci_excludes_0"), N_("lab_word_configural"), N_("lab_word_direct"),
    N_("lab_word_f2_large"), N_("lab_word_f2_medium"), N_("lab_word_f2_none"), N_("lab_word_f2_rule"),
    N_("lab_word_f2_small"), N_("lab_word_full_mediation"), N_("lab_word_indirect"),
    N_("lab_word_invariance_configural"), N_("lab_word_invariance_metric"), N_("lab_word_invariance_none"),
    N_("lab_word_invariance_rule"), N_("lab_word_invariance_scalar"), N_("lab_word_invariance_untested"),
    N_("lab_word_no_mediation"), N_("lab_word_partial_mediation"), N_("lab_word_share_mediated"),
    N_("lab_word_total"), N_("lab_word_vaf_rule"), N_("ver_stage_invariance"), N_("ver_stage_pls"),
    N_("ver_stage_pls_bootstrap")
)

# account roles in words (`role_{role}`, app/ui/access.py) and the workshop export's summary columns (`ws_col_{stat}`,
# app/report/workshop.py)
ACCESS_AND_WORKSHOP = (
    N_("role_admin"), N_("role_facilitator"), N_("role_researcher"), N_("ws_col_ci_hi"), N_("ws_col_ci_lo"),
    N_("ws_col_mean"), N_("ws_col_median"), N_("ws_col_p10"), N_("ws_col_p90"), N_("ws_col_q1"), N_("ws_col_q3")
)
