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
