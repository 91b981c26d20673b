//! The integration suite on every backend: `cargo test -p orm-tests sqlite::` (or `postgres::`, `mysql::`).

macro_rules! all_tests {
    ($kind:expr) => {
        orm_tests::backend_tests!($kind;
            crud::insert_writes_back_generated_key,
            crud::get_missing_is_not_found_and_find_is_none,
            crud::find_by_unique_field,
            crud::update_by_primary_key,
            crud::save_inserts_then_updates,
            crud::delete_and_delete_by_id,
            crud::insert_many_writes_back_keys_in_order,
            crud::insert_many_chunks_under_bind_limit,
            crud::insert_all_inserts_without_reading_keys_back,
            crud::composite_primary_key,
            crud::text_primary_key_and_default_table_name,
            crud::create_table_is_idempotent_and_drop_works,
            query::filter_comparisons,
            query::filter_boolean_logic_and_nulls,
            query::order_limit_offset,
            query::terminal_methods,
            types::type_edges_round_trip,
            types::nulls_are_none_and_filterable,
            types::u64_overflow_is_a_typed_error,
            types::out_of_range_decode_is_a_typed_error,
            errors::unique_violation_is_typed,
            errors::not_null_violation_is_typed,
            errors::foreign_key_violation_is_typed,
            errors::decode_error_names_column_and_type,
            errors::server_errors_keep_code_and_message,
            raw_sql::raw_execute_reports_rows_affected,
            raw_sql::raw_select_into_model_by_name_and_tuple,
            raw_sql::raw_values_are_bound_not_spliced,
            builder_filters::comparisons_match_hand_written_sql,
            builder_filters::lists_and_subqueries_match_hand_written_sql,
            builder_filters::boolean_logic_matches_hand_written_sql,
            builder_filters::arithmetic_in_filters_matches_hand_written_sql,
            builder_filters::expressions_select_what_hand_written_sql_computes,
            builder_cross::arithmetic_across_tables_matches_hand_written_sql,
            builder_cross::coalesce_fallbacks_match_hand_written_sql,
            builder_cross::sixteen_column_selections_match_hand_written_sql,
            builder_like::literal_matchers_match_hand_escaped_like,
            builder_like::like_patterns_match_hand_written_like,
            builder_like::case_insensitive_matchers_fold_ascii_only,
            builder_shapes::selections_and_distinct_match_hand_written_sql,
            builder_shapes::joins_match_hand_written_sql,
            builder_shapes::left_joins_of_a_text_keyed_model_match_hand_written_sql,
            builder_shapes::self_joins_through_an_alias_match_hand_written_sql,
            builder_shapes::sort_orders_limits_and_offsets_match_hand_written_sql,
            builder_aggregates::grouped_aggregates_match_hand_written_sql,
            builder_aggregates::float_aggregates_and_empty_groups_match_hand_written_sql,
            builder_aggregates::aggregates_over_joins_match_hand_written_sql,
            builder_pagination::page_matches_hand_written_limit_offset,
            builder_pagination::keyset_walks_the_table_in_one_query_order,
            builder_writes::bulk_update_reports_rows_matched_like_hand_written_sql,
            builder_writes::bulk_delete_reports_rows_deleted_like_hand_written_sql,
            builder_writes::bulk_writes_refuse_more_than_filters,
            builder_upsert::upsert_inserts_or_updates_and_writes_the_key_back,
            builder_upsert::insert_or_ignore_skips_existing_rows,
            builder_upsert::upserts_without_a_generated_key,
            builder_locks::row_locks_lock_or_are_unsupported,
            builder_props::text_needles_match_literally,
            builder_lists::integer_lists_of_every_length,
            builder_lists::text_lists_of_every_length_compare_exactly,
            builder_lists::binary_float_and_boolean_lists,
            builder_lists::u64_above_i64_max_in_a_list_is_a_typed_error,
            builder_lists::long_lists_between_other_parameters,
            builder_lists::long_lists_filter_updates_and_deletes,
            builder_lists::hand_bound_lists_follow_each_driver_contract,
            builder_stream::stream_counts_a_100k_row_series,
            builder_stream::dropped_stream_leaves_its_connection_clean,
            builder_stream::stream_holds_its_pooled_connection_until_dropped,
            builder_stream::decode_error_mid_stream_is_the_last_item,
            builder_stream::query_stream_yields_what_all_returns,
            faults::cancel_sweep_leaves_connections_clean,
            faults::timed_out_transaction_stops_on_the_server,
            faults::abandoned_large_result_leaves_the_connection_usable,
            faults::aborted_task_and_panicking_closure_commit_nothing,
            faults::raw_begin_is_rolled_back_when_its_connection_returns,
            faults_pool::killed_connections_are_replaced,
            faults_pool::exhausted_pool_times_out_typed,
            faults_tx::concurrent_read_then_write_transactions_count_exactly,
            faults_tx::unique_violation_recovers_through_a_savepoint,
            faults_tx::retry_helper_completes_after_real_conflicts,
            faults_tx::transactions_accept_every_query_method,
            faults_secrets::password_never_appears_in_output,
        );
    };
}

mod sqlite {
    all_tests!(orm_tests::Kind::Sqlite);
}

mod postgres {
    all_tests!(orm_tests::Kind::Postgres);
}

mod mysql {
    all_tests!(orm_tests::Kind::MySql);
}
